package dev.allocation.benchmarks;

/** Where the service keeps its state in a benchmark; every store but memory has a raw-SQL twin. */
enum Store {
    MEMORY("memory"), H2_MEMORY("H2 in memory"), H2_FILE("H2 file"), POSTGRESQL("PostgreSQL");

    private final String label;

    Store(String label) {
        this.label = label;
    }

    boolean isJdbc() {
        return this != MEMORY;
    }

    @Override
    public String toString() {
        return label;
    }
}
