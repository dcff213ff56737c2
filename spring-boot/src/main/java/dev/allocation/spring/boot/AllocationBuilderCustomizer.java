package dev.allocation.spring.boot;

import dev.allocation.bootstrap.Bootstrap;

/**
 * A bean that adjusts the {@link Bootstrap.Builder} the auto-configuration is about to build from, for
 * whatever the {@code allocation.*} properties do not cover (another storage adapter, a custom relay
 * backoff, ...). Customizers run in their {@code @Order}, after the properties and the application's
 * beans were applied, so they have the last word.
 */
@FunctionalInterface
public interface AllocationBuilderCustomizer {

    /** Adjusts {@code builder}; called once, before the service is built. */
    void customize(Bootstrap.Builder builder);
}
