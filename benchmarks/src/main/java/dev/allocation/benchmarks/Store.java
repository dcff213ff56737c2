package dev.allocation.benchmarks;

/** Where the service keeps its state in a benchmark. */
public enum Store {
    /** adapters-memory: no database, so no raw-SQL reference. */
    MEMORY("memory"),
    /** Embedded H2, in memory. */
    H2_MEMORY("H2 in memory"),
    /** Embedded H2 in a file. */
    H2_FILE("H2 file"),
    /** The PostgreSQL server (PGHOST:PGPORT, default 127.0.0.1:5432). */
    POSTGRESQL("PostgreSQL");

    private final String label;

    Store(String label) {
        this.label = label;
    }

    /** True for the stores reached through JDBC, which have a raw-SQL reference. */
    public boolean isJdbc() {
        return this != MEMORY;
    }

    /** How the report names it. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
