package dev.allocation.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules, checked on this project's production classes: domain, application, every adapter
 * present, bootstrap and service. Adapters not written yet are simply absent; at least one must
 * be there.
 */
class ProjectArchitectureTest {

    private static final String ROOT = "dev.allocation";

    private static final JavaClasses PRODUCTION_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/dev/allocation/architecture/fixture/"))
            .importPackages(ROOT);

    /** The standard layout, the published language named so that it must be there: allocation-wire. */
    private static final HexagonalRules RULES = HexagonalRules.in(ROOT)
            .withLayout(HexagonalRules.Layout.standard().publishedLanguage("wire"));

    @Test
    void the_allocation_service_obeys_its_architecture() {
        RULES.check(PRODUCTION_CLASSES);
    }

    /**
     * The layered rule says it already (the published language is known by the edges only); this names it,
     * as issue 21 asked: the domain and the application never learn a wire format.
     */
    @Test
    void neither_the_domain_nor_the_application_knows_the_published_language() {
        noClasses().that().resideInAnyPackage(ROOT + ".domain..", ROOT + ".application..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".wire..")
                .allowEmptyShould(false)
                .check(PRODUCTION_CLASSES);
        assertThat(PRODUCTION_CLASSES.stream().map(JavaClass::getPackageName)).contains(ROOT + ".wire");
    }

    /**
     * The core and every adapter stay free of any framework: only {@code allocation-spring-boot}
     * ({@code dev.allocation.spring..}, not on this module's class path, so never imported here) knows
     * Spring. ArchUnit sees a dependency on a Spring type even though Spring is absent from this class path.
     */
    @Test
    void nothing_but_the_spring_boot_module_depends_on_spring() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".spring..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .because("the core stays free of any framework; the Spring Boot integration is an optional layer "
                        + "on top (allocation-spring-boot)")
                .check(PRODUCTION_CLASSES);
        assertThat(PRODUCTION_CLASSES.stream().map(JavaClass::getPackageName))
                .contains("dev.allocation.bootstrap", "dev.allocation.service");
    }

    /**
     * {@code adaptersDoNotDependOnEachOther} covers every adapter present; this names the Kafka adapter, so that
     * the rule fails (no class to check) should the module ever drop off this module's class path.
     */
    @Test
    void the_kafka_adapter_knows_no_other_adapter() {
        noClasses().that().resideInAPackage(ROOT + ".adapters.kafka..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + ".adapters..")
                        .and(not(resideInAPackage(ROOT + ".adapters.kafka.."))))
                .allowEmptyShould(false)
                .check(PRODUCTION_CLASSES);
    }

    @Test
    void the_check_sees_the_memory_adapter_and_no_test_or_fixture_class() {
        assertThat(PRODUCTION_CLASSES.stream().map(JavaClass::getPackageName))
                .contains("dev.allocation.adapters.memory", "dev.allocation.adapters.kafka")
                .noneMatch(name -> name.startsWith("dev.allocation.architecture.fixture"));
        assertThat(PRODUCTION_CLASSES.stream().map(JavaClass::getSimpleName))
                .doesNotContain(ProjectArchitectureTest.class.getSimpleName());
    }
}
