package dev.allocation.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** A project that obeys the rules passes them, every layer checked. */
class CleanProjectTest {

    private static final String ROOT = "dev.allocation.architecture.fixture.clean";
    private static final JavaClasses CLASSES = new ClassFileImporter().importPackages(ROOT);

    private final HexagonalRules rules = HexagonalRules.in(ROOT);

    @Test
    void a_project_that_obeys_the_rules_passes_the_check() {
        assertThatCode(() -> rules.check(CLASSES)).doesNotThrowAnyException();
    }

    @Test
    void every_rule_passes_on_its_own() {
        for (ArchRule rule : rules.rules()) {
            assertThat(Violations.details(rule, CLASSES)).as(rule.getDescription()).isEmpty();
        }
    }

    @Test
    void there_are_six_rules_the_presence_of_the_layers_first() {
        assertThat(rules.rules()).hasSize(6);
        assertThat(rules.rules().get(0).getDescription()).startsWith("the required layers have classes");
    }

    @Test
    void as_one_rule_it_passes_too() {
        assertThatCode(() -> rules.asRule().check(CLASSES)).doesNotThrowAnyException();
        assertThat(rules.asRule().getDescription()).startsWith("the hexagonal rules of " + ROOT);
    }

    @Test
    @SuppressWarnings("deprecation")
    void the_rule_named_after_slf4j_is_the_application_rule_under_its_former_name() {
        assertThat(rules.applicationDependsOnTheDomainSlf4jAndTheJdkOnly().getDescription())
                .isEqualTo(rules.applicationDependsOnTheDomainItsLibrariesAndTheJdkOnly().getDescription());
    }

    @Test
    void the_standard_layout_is_the_default() {
        assertThat(HexagonalRules.in(ROOT).withLayout(HexagonalRules.Layout.standard()))
                .hasToString(rules.toString());
    }
}
