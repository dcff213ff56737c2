package dev.allocation.benchmarks;

/** Where the service keeps its state in a benchmark. */
enum Store {
    /** adapters-memory: no database, so no raw twin. */
    MEMORY("memory"),
    H2_MEMORY("H2 in memory"),
    /** H2 files, durable as the service opens them. */
    H2_FILE("H2 file"),
    /** The server at PGHOST:PGPORT, default 127.0.0.1:5432. */
    POSTGRESQL("PostgreSQL");

    private final String label;

    Store(String label) {
        this.label = label;
    }

    /** True for the stores reached through JDBC, which have a raw twin. */
    boolean isJdbc() {
        return this != MEMORY;
    }

    String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
