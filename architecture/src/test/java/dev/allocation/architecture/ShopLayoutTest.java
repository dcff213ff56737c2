package dev.allocation.architecture;

import static dev.allocation.architecture.ShopArchitectureTest.SHOP_LAYOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The rules in another layout than this project's ({@code fixture.shop}): they pass it through both
 * routes, they fail when a layer's package is misnamed, naming it, and the README's example is
 * {@link ShopArchitectureTest} verbatim.
 */
class ShopLayoutTest {

    private static final String ROOT = "dev.allocation.architecture.fixture.shop";
    private static final JavaClasses CLASSES = new ClassFileImporter().importPackages(ROOT);

    private final HexagonalRules rules = HexagonalRules.in(ROOT).withLayout(SHOP_LAYOUT);

    @Test
    void the_shop_passes_in_its_layout_through_check_and_as_one_rule() {
        assertThatCode(() -> rules.check(CLASSES)).doesNotThrowAnyException();
        assertThatCode(() -> ShopArchitectureTest.hexagonal.check(CLASSES)).doesNotThrowAnyException();
        for (ArchRule rule : rules.rules()) {
            assertThat(Violations.details(rule, CLASSES)).as(rule.getDescription()).isEmpty();
        }
    }

    @Test
    void the_rules_name_the_shops_packages() {
        assertThat(rules.requiredLayersHaveClasses().getDescription()).contains(
                "Domain (" + ROOT + ".core.model..)", "Application (" + ROOT + ".core.usecases..)",
                "Adapters (" + ROOT + ".infrastructure..)", "Bootstrap (" + ROOT + ".wiring..)",
                "Service (" + ROOT + ".app..)");
        assertThat(rules.applicationDependsOnTheDomainItsLibrariesAndTheJdkOnly().getDescription())
                .isEqualTo("the application (" + ROOT + ".core.usecases..) depends on the domain, org.slf4j.. "
                        + "and the JDK only, because the service layer speaks to infrastructure through its ports only");
    }

    @Test
    void in_the_standard_layout_the_shop_fails_naming_every_layer_it_lacks() {
        assertThatThrownBy(() -> HexagonalRules.in(ROOT).check(CLASSES))
                .hasMessageContaining("Layer 'Domain' is empty: no class resides in '" + ROOT + ".domain..'")
                .hasMessageContaining("Layer 'Application' is empty: no class resides in '" + ROOT + ".application..'")
                .hasMessageContaining("Layer 'Adapters' is empty: no class resides in '" + ROOT + ".adapters..'")
                .hasMessageContaining("Layer 'Bootstrap' is empty: no class resides in '" + ROOT + ".bootstrap..'");
    }

    @Test
    void a_misnamed_layer_fails_loudly_naming_its_package_through_both_routes() {
        HexagonalRules misnamed = HexagonalRules.in(ROOT).withLayout(SHOP_LAYOUT.domain("core.models"));
        String message = "Layer 'Domain' is empty: no class resides in '" + ROOT + ".core.models..'";

        assertThatThrownBy(() -> misnamed.check(CLASSES)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(message)
                .hasMessageNotContaining("Layer 'Application' is empty");
        assertThatThrownBy(() -> misnamed.asRule().check(CLASSES)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(message);
        assertThat(Violations.details(misnamed.asRule(), CLASSES)).singleElement().asString().startsWith(message);
    }

    @Test
    void a_misnamed_adapters_package_fails_loudly_naming_it() {
        HexagonalRules misnamed = HexagonalRules.in(ROOT).withLayout(SHOP_LAYOUT.adapters("infra"));

        assertThat(Violations.details(misnamed.asRule(), CLASSES)).singleElement().asString()
                .startsWith("Layer 'Adapters' is empty: no class resides in '" + ROOT + ".infra..'");
    }

    @Test
    void an_adapters_package_without_a_package_per_adapter_fails_loudly_naming_it() {
        HexagonalRules flat = HexagonalRules.in(ROOT).withLayout(SHOP_LAYOUT.adapters("infrastructure.persistence"));

        assertThat(Violations.details(flat.asRule(), CLASSES)).singleElement().asString()
                .startsWith("Layer 'Adapters' has no adapter: no class resides in a package under '"
                        + ROOT + ".infrastructure.persistence'");
    }

    @Test
    void an_optional_layer_once_named_must_have_classes() {
        HexagonalRules misnamed = HexagonalRules.in(ROOT).withLayout(SHOP_LAYOUT.service("application"));
        HexagonalRules withContracts = HexagonalRules.in(ROOT).withLayout(SHOP_LAYOUT.contracts("testkit"));

        assertThat(Violations.details(misnamed.asRule(), CLASSES)).singleElement().asString()
                .startsWith("Layer 'Service' is empty: no class resides in '" + ROOT + ".application..'");
        assertThat(Violations.details(withContracts.asRule(), CLASSES)).singleElement().asString()
                .startsWith("Layer 'Contracts' is empty: no class resides in '" + ROOT + ".testkit..'");
        assertThat(Violations.details(HexagonalRules.in(ROOT).withLayout(SHOP_LAYOUT.publishedLanguage("messages"))
                .asRule(), CLASSES)).singleElement().asString()
                .startsWith("Layer 'Published language' is empty: no class resides in '" + ROOT + ".messages..'");
    }

    @Test
    void the_application_may_use_only_the_libraries_its_layout_allows() {
        HexagonalRules noLibrary = HexagonalRules.in(ROOT).withLayout(SHOP_LAYOUT.applicationMayUse());

        assertThat(Violations.dependencies(noLibrary.applicationDependsOnTheDomainItsLibrariesAndTheJdkOnly(),
                CLASSES, ROOT)).containsExactly("core.usecases.PlaceOrder -> org.slf4j.Logger");
        assertThat(Violations.dependencies(noLibrary.asRule(), CLASSES, ROOT))
                .containsExactly("core.usecases.PlaceOrder -> org.slf4j.Logger");
    }

    @Test
    void a_layout_is_immutable_and_the_standard_one_is_this_projects() {
        HexagonalRules.Layout standard = HexagonalRules.Layout.standard();

        assertThat(standard.domain("core.model")).isNotEqualTo(standard);
        assertThat(standard).isEqualTo(HexagonalRules.Layout.standard().domain("domain").application("application")
                .adapters("adapters").bootstrap("bootstrap").applicationMayUse("org.slf4j.."));
        assertThat(standard).hasToString("domain=domain, application=application, adapters=adapters, "
                + "bootstrap=bootstrap, service=service (optional), contracts=contracts (optional), "
                + "published language=wire (optional), application may use [org.slf4j..]");
    }

    @Test
    void a_layout_refuses_what_is_not_a_package_and_layers_that_overlap() {
        HexagonalRules.Layout standard = HexagonalRules.Layout.standard();

        assertThatThrownBy(() -> standard.domain("core..model")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("domain is not a package name: 'core..model'");
        assertThatThrownBy(() -> standard.application(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> standard.applicationMayUse("org.slf4j..", " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HexagonalRules.in(ROOT).withLayout(standard.domain("core").application("core.usecases")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two layers share package 'core.usecases'");
        assertThatThrownBy(() -> HexagonalRules.in(ROOT).withLayout(standard.bootstrap("adapters")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two layers share package 'adapters'");
    }

    @Test
    void the_readme_example_is_this_test_verbatim() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String test = Files.readString(Path.of("src/test/java/dev/allocation/architecture/ShopArchitectureTest.java"));
        String marker = "<!-- ShopArchitectureTest.java, verbatim but its package line -->\n```java\n";

        int start = readme.indexOf(marker);
        assertThat(start).as("the README's marker").isNotNegative();
        String example = readme.substring(start + marker.length(), readme.indexOf("```\n", start + marker.length()));
        assertThat(test.substring(test.indexOf('\n') + 1).strip()).isEqualTo(example.strip());
    }
}
