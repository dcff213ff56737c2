package dev.allocation.service;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The configurations tests start the service with: free ports on the loopback interface. */
final class TestConfigs {

    private TestConfigs() {
    }

    /** Everything in memory. */
    static ServiceConfig inMemory() {
        return new ServiceConfig("127.0.0.1", 0, true, Optional.empty(), Optional.empty(), Optional.empty(),
                Path.of("data"), Optional.empty(), Optional.empty(), "127.0.0.1", 0, Optional.empty(), false,
                ServiceConfig.Operations.DEFAULTS);
    }

    /** Everything in memory, integration events through this Redis. */
    static ServiceConfig inMemoryWithRedis(String redisUrl) {
        return new ServiceConfig("127.0.0.1", 0, true, Optional.empty(), Optional.empty(), Optional.empty(),
                Path.of("data"), Optional.of(redisUrl), Optional.empty(), "127.0.0.1", 0, Optional.empty(), false,
                ServiceConfig.Operations.DEFAULTS);
    }

    /** Everything in memory, integration events through this Kafka cluster, and through Redis when {@code redisUrl} is not null. */
    static ServiceConfig inMemoryWithKafka(String bootstrapServers, String redisUrl) {
        return new ServiceConfig("127.0.0.1", 0, true, Optional.empty(), Optional.empty(), Optional.empty(),
                Path.of("data"), Optional.ofNullable(redisUrl),
                Optional.of(new ServiceConfig.Kafka(bootstrapServers, Map.of())), "127.0.0.1", 0, Optional.empty(), false,
                ServiceConfig.Operations.DEFAULTS);
    }

    /** An embedded H2 database in files under {@code dataDir}. */
    static ServiceConfig h2Files(Path dataDir) {
        return new ServiceConfig("127.0.0.1", 0, false, Optional.empty(), Optional.empty(), Optional.empty(),
                dataDir, Optional.empty(), Optional.empty(), "127.0.0.1", 0, Optional.empty(), false,
                ServiceConfig.Operations.DEFAULTS);
    }

    /** The database at this JDBC URL, and Redis when {@code redisUrl} is not null. */
    static ServiceConfig database(String url, String user, String password, String redisUrl) {
        return new ServiceConfig("127.0.0.1", 0, false, Optional.of(url), Optional.ofNullable(user),
                Optional.ofNullable(password), Path.of("data"), Optional.ofNullable(redisUrl), Optional.empty(), "127.0.0.1", 0, Optional.empty(), false,
                ServiceConfig.Operations.DEFAULTS);
    }
}
