package dev.allocation.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** A rule about a layer without classes fails: it never passes vacuously. */
class NoVacuousPassTest {

    private static final String ROOT = "dev.allocation.architecture.fixture.clean";

    private final HexagonalRules rules = HexagonalRules.in(ROOT);

    @Test
    void a_project_without_its_composition_root_fails_naming_the_empty_layer() {
        assertThatThrownBy(() -> rules.check(cleanProjectWithout("bootstrap")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Layer 'Bootstrap' is empty: no class resides in '" + ROOT + ".bootstrap..'")
                .hasMessageNotContaining("Layer 'Domain' is empty");
    }

    @Test
    void a_project_without_any_adapter_fails_naming_the_empty_layer() {
        assertThatThrownBy(() -> rules.check(cleanProjectWithout("adapters")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Layer 'Adapters' is empty: no class resides in '" + ROOT + ".adapters..'");
    }

    @Test
    void a_misspelled_root_package_fails_naming_every_required_layer() {
        String misspelled = "dev.allocation.architecture.fixture.claen";
        assertThatThrownBy(() -> HexagonalRules.in(misspelled).check(cleanProjectWithout("nothing")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Layer 'Domain' is empty")
                .hasMessageContaining("Layer 'Application' is empty")
                .hasMessageContaining("Layer 'Adapters' is empty")
                .hasMessageContaining("Layer 'Bootstrap' is empty");
    }

    @Test
    void every_rule_on_its_own_fails_when_its_layers_are_empty() {
        JavaClasses noLayers = new ClassFileImporter().importClasses(String.class, Integer.class);
        for (ArchRule rule : rules.rules()) {
            assertThat(fails(rule, noLayers)).as(rule.getDescription()).isTrue();
        }
    }

    @Test
    void as_one_rule_it_fails_naming_the_empty_layer_and_no_other_violation() {
        assertThat(Violations.details(rules.asRule(), cleanProjectWithout("bootstrap"))).singleElement().asString()
                .startsWith("Layer 'Bootstrap' is empty: no class resides in '" + ROOT + ".bootstrap..'");
        assertThatThrownBy(() -> rules.asRule().check(cleanProjectWithout("bootstrap")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Layer 'Bootstrap' is empty");
    }

    @Test
    void as_one_rule_it_cannot_be_allowed_to_pass_vacuously() {
        assertThat(rules.asRule().allowEmptyShould(false).getDescription()).isEqualTo(rules.asRule().getDescription());
        assertThatThrownBy(() -> rules.asRule().allowEmptyShould(true))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("never pass vacuously");
    }

    @Test
    void the_layered_rule_fails_on_its_own_when_bootstrap_is_empty() {
        assertThat(Violations.details(rules.onlyTheCompositionRootKnowsAdapters(), cleanProjectWithout("bootstrap")))
                .anySatisfy(detail -> assertThat(detail).contains("Layer 'Bootstrap' is empty"));
    }

    @Test
    void the_optional_service_and_contracts_may_be_absent() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(location -> !location.contains("/fixture/clean/service/")
                        && !location.contains("/fixture/clean/contracts/"))
                .importPackages(ROOT);
        assertThatCode(() -> rules.check(classes)).doesNotThrowAnyException();
    }

    @Test
    void the_root_package_must_be_a_package_name() {
        assertThatThrownBy(() -> HexagonalRules.in(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HexagonalRules.in("dev..allocation")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HexagonalRules.in(null)).isInstanceOf(NullPointerException.class);
    }

    private static JavaClasses cleanProjectWithout(String layerFolder) {
        ImportOption without = location -> !location.contains("/fixture/clean/" + layerFolder + "/");
        return new ClassFileImporter().withImportOption(without).importPackages(ROOT);
    }

    private static boolean fails(ArchRule rule, JavaClasses classes) {
        try {
            return rule.evaluate(classes).hasViolation();
        } catch (AssertionError emptyShould) {
            return true;
        }
    }
}
