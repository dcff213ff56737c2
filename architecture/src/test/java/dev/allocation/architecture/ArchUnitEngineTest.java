package dev.allocation.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The {@code @ArchTest} route, run by ArchUnit's own JUnit 5 engine as a user's build runs it: the
 * rules fail there as they fail through {@code check}, and pass the clean shop.
 */
class ArchUnitEngineTest {

    private static final String ROOT = BrokenProjectArchitecture.ROOT;

    @Test
    void the_engine_fails_every_rule_field_on_the_broken_project() {
        Map<String, TestExecutionResult> results = run(BrokenProjectArchitecture.class);

        assertThat(results).containsOnlyKeys("hexagonal", "domain", "misspelledRoot");
        assertThat(results.values()).allSatisfy(
                result -> assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED));
        assertThat(failure(results, "hexagonal"))
                .hasMessageContaining("was violated (8 times)")
                .hasMessageContaining("domain.Product.logger> has type <org.slf4j.Logger>")
                .hasMessageContaining("adapters.redis.RedisPublisher.main> has type <" + ROOT + ".service.Main>")
                .hasMessageContaining("adapter memory depends on adapter jdbc")
                .hasMessageContaining("Cycle detected: Slice config -> ");
        assertThat(failure(results, "domain"))
                .hasMessageContaining("was violated (1 times)")
                .hasMessageContaining("domain.Product.logger> has type <org.slf4j.Logger>");
        assertThat(failure(results, "misspelledRoot"))
                .hasMessageContaining("Layer 'Domain' is empty: no class resides in '" + ROOT + "s.domain..'")
                .hasMessageContaining("Layer 'Bootstrap' is empty: no class resides in '" + ROOT + "s.bootstrap..'");
    }

    @Test
    void the_engine_runs_the_readme_example_and_it_passes_on_the_shop() {
        Map<String, TestExecutionResult> results = run(ShopArchitectureTest.class);

        assertThat(results).containsOnlyKeys("hexagonal");
        assertThat(results.get("hexagonal").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    }

    private static Throwable failure(Map<String, TestExecutionResult> results, String field) {
        Optional<Throwable> thrown = results.get(field).getThrowable();
        assertThat(thrown).as(field).isPresent();
        return thrown.orElseThrow();
    }

    /** Each {@code @ArchTest} field's result, by field name, as ArchUnit's engine reports it. */
    private static Map<String, TestExecutionResult> run(Class<?> testClass) {
        Map<String, TestExecutionResult> results = new TreeMap<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) {
                    results.put(test.getDisplayName(), result);
                }
            }
        };
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .filters(EngineFilter.includeEngines("archunit"))
                .build(), listener);
        return results;
    }
}
