package dev.allocation.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Each rule, on a project that breaks it on purpose, reports exactly the offending dependencies. */
class BrokenProjectTest {

    private static final String ROOT = "dev.allocation.architecture.fixture.broken";
    private static final JavaClasses CLASSES = new ClassFileImporter().importPackages(ROOT);

    private final HexagonalRules rules = HexagonalRules.in(ROOT);

    @Test
    void the_domain_may_not_use_anything_but_the_jdk() {
        assertThat(Violations.dependencies(rules.domainDependsOnTheJdkOnly(), CLASSES, ROOT))
                .containsExactly("domain.Product -> org.slf4j.Logger");
    }

    @Test
    void the_application_may_use_slf4j_but_not_an_adapter() {
        assertThat(Violations.dependencies(rules.applicationDependsOnTheDomainItsLibrariesAndTheJdkOnly(), CLASSES, ROOT))
                .containsExactly("application.AllocateHandler -> adapters.memory.InMemoryRepository");
    }

    @Test
    void only_the_composition_root_and_the_service_know_adapters_and_no_production_code_knows_the_contracts() {
        // the published language (wire) is no exception: it may know the domain, not an adapter
        assertThat(Violations.dependencies(rules.onlyTheCompositionRootKnowsAdapters(), CLASSES, ROOT))
                .containsExactlyInAnyOrder(
                        "application.AllocateHandler -> adapters.memory.InMemoryRepository",
                        "adapters.redis.RedisPublisher -> service.Main",
                        "adapters.jdbc.JdbcRepository -> contracts.RepositoryContract",
                        "wire.EventJson -> adapters.redis.RedisPublisher");
    }

    @Test
    void an_adapter_may_not_know_another_adapter() {
        assertThat(Violations.details(rules.adaptersDoNotDependOnEachOther(), CLASSES))
                .singleElement().asString().startsWith("adapter memory depends on adapter jdbc");
        assertThat(Violations.dependencies(rules.adaptersDoNotDependOnEachOther(), CLASSES, ROOT))
                .containsExactly("adapters.memory.InMemoryRepository -> adapters.jdbc.JdbcRepository");
    }

    @Test
    void two_packages_may_not_depend_on_each_other() {
        assertThat(Violations.details(rules.noCyclesBetweenSlices(), CLASSES))
                .singleElement().asString().startsWith("Cycle detected: Slice config -> ");
        assertThat(Violations.dependencies(rules.noCyclesBetweenSlices(), CLASSES, ROOT))
                .containsExactlyInAnyOrder("config.Settings -> shared.Clock", "shared.Clock -> config.Settings");
    }

    @Test
    void its_layers_are_all_present() {
        assertThat(Violations.details(rules.requiredLayersHaveClasses(), CLASSES)).isEmpty();
    }

    @Test
    void check_reports_every_violation_of_every_rule_at_once() {
        assertThatThrownBy(() -> rules.check(CLASSES))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("domain.Product.logger> has type <org.slf4j.Logger>")
                .hasMessageContaining("application.AllocateHandler.repository> has type <" + ROOT
                        + ".adapters.memory.InMemoryRepository>")
                .hasMessageContaining("adapters.redis.RedisPublisher.main> has type <" + ROOT + ".service.Main>")
                .hasMessageContaining("adapters.jdbc.JdbcRepository.contract> has type <" + ROOT
                        + ".contracts.RepositoryContract>")
                .hasMessageContaining("adapter memory depends on adapter jdbc")
                .hasMessageContaining("Cycle detected: Slice config -> ");
    }

    @Test
    void evaluate_counts_one_violation_per_offending_dependency_or_cycle() {
        // domain 1, application 1, layers 4, adapters 1, cycles 1
        assertThat(rules.evaluate(CLASSES).getFailureReport().getDetails()).hasSize(8);
    }

    @Test
    void as_one_rule_for_an_arch_test_field_it_reports_exactly_what_check_reports() {
        ArchRule hexagonal = rules.asRule();

        assertThat(Violations.details(hexagonal, CLASSES))
                .containsExactlyElementsOf(rules.evaluate(CLASSES).getFailureReport().getDetails());
        assertThat(Violations.dependencies(hexagonal, CLASSES, ROOT)).containsExactlyInAnyOrder(
                "domain.Product -> org.slf4j.Logger",
                "application.AllocateHandler -> adapters.memory.InMemoryRepository",
                "application.AllocateHandler -> adapters.memory.InMemoryRepository",
                "adapters.redis.RedisPublisher -> service.Main",
                "adapters.jdbc.JdbcRepository -> contracts.RepositoryContract",
                "wire.EventJson -> adapters.redis.RedisPublisher",
                "adapters.memory.InMemoryRepository -> adapters.jdbc.JdbcRepository",
                "config.Settings -> shared.Clock",
                "shared.Clock -> config.Settings");
        assertThatThrownBy(() -> hexagonal.check(CLASSES))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Architecture Violation [Priority: MEDIUM] - Rule 'the hexagonal rules of "
                        + ROOT + " (domain=domain, ")
                .hasMessageContaining("was violated (8 times)")
                .hasMessageContaining("domain.Product.logger> has type <org.slf4j.Logger>");
    }
}
