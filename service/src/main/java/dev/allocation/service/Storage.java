package dev.allocation.service;

import dev.allocation.bootstrap.Bootstrap;

/** The one place that turns the storage options into a choice of the bootstrap builder. */
final class Storage {

    private Storage() {
    }

    /** Chooses the storage on the builder and says which, for the start-up line (never a password). */
    static String choose(Bootstrap.Builder builder, ServiceConfig config) {
        if (config.inMemory()) {
            builder.inMemory();
            return "in memory (gone at exit)";
        }
        if (config.databaseUrl().isPresent()) {
            String url = config.databaseUrl().get();
            builder.jdbc(url, config.databaseUser().orElse(null), config.databasePassword().orElse(null));
            return "database " + withoutOptions(url);
        }
        builder.h2(config.dataDir());
        return "embedded H2 in " + config.dataDir().toAbsolutePath().normalize();
    }

    /** The URL up to its options, which may carry credentials. */
    private static String withoutOptions(String url) {
        int end = url.length();
        for (char separator : new char[] {';', '?'}) {
            int at = url.indexOf(separator);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return url.substring(0, end);
    }
}
