package dev.allocation.service;

import dev.allocation.bootstrap.Bootstrap;

/** The one place that turns the storage options into a choice of the bootstrap builder. */
final class Storage {

    private Storage() {
    }

    /** Chooses the storage on the builder and says which, for the start-up line. */
    static String choose(Bootstrap.Builder builder, ServiceConfig config) {
        if (config.inMemory()) {
            builder.inMemory();
            return "in memory (gone at exit)";
        }
        // TODO(issue 4): switch to builder.jdbc(url, user, password) / builder.h2(config.dataDir())
        // once Bootstrap has them; until then the builder's default storage.
        if (config.databaseUrl().isPresent()) {
            throw new ServiceConfig.UsageError("--db-url is not supported by this build yet");
        }
        return "the bootstrap's default storage";
    }
}
