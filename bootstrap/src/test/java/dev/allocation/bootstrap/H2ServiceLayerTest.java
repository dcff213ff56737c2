package dev.allocation.bootstrap;

/** The service layer on the default storage: a private embedded H2 database. */
class H2ServiceLayerTest extends ServiceLayerTest {

    @Override
    protected Bootstrap.Builder storage(Bootstrap.Builder builder) {
        return builder;
    }
}
