package dev.allocation.bootstrap;

/** The service layer on adapters-memory. */
class InMemoryServiceLayerTest extends ServiceLayerTest {

    @Override
    protected Bootstrap.Builder storage(Bootstrap.Builder builder) {
        return builder.inMemory();
    }
}
