package dev.allocation.architecture;

import static com.tngtech.archunit.lang.SimpleConditionEvent.violated;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.Objects.requireNonNull;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Collection;
import java.util.List;

/**
 * The dependency rules of the hexagonal allocation architecture, for the packages under one root
 * package (such as {@code "dev.allocation"}); the module's README lists them. No rule passes
 * vacuously: the domain, application, adapters (at least one) and bootstrap layers must have classes,
 * else the check fails naming the empty layer. The service and contracts layers are optional.
 *
 * <pre>{@code
 * JavaClasses classes = new ClassFileImporter()
 *         .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
 *         .importPackages("dev.allocation");
 * HexagonalRules.in("dev.allocation").check(classes);
 * }</pre>
 */
public final class HexagonalRules {

    private static final String PACKAGE_NAME = "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
            + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*";

    private final String root;
    private final Layer domain;
    private final Layer application;
    private final Layer adapters;
    private final Layer bootstrap;
    private final Layer service;
    private final Layer contracts;

    private HexagonalRules(String root) {
        this.root = root;
        domain = new Layer("Domain", root + ".domain..");
        application = new Layer("Application", root + ".application..");
        adapters = new Layer("Adapters", root + ".adapters..");
        bootstrap = new Layer("Bootstrap", root + ".bootstrap..");
        service = new Layer("Service", root + ".service..");
        contracts = new Layer("Contracts", root + ".contracts..");
    }

    /**
     * The rules for the packages under {@code rootPackage}, such as {@code "dev.allocation"}.
     *
     * @throws IllegalArgumentException when it is not a package name
     */
    public static HexagonalRules in(String rootPackage) {
        requireNonNull(rootPackage, "rootPackage");
        if (!rootPackage.matches(PACKAGE_NAME)) {
            throw new IllegalArgumentException("rootPackage is not a package name: '" + rootPackage + "'");
        }
        return new HexagonalRules(rootPackage);
    }

    /** Every required layer has classes, so that no other rule passes vacuously. */
    public ArchRule requiredLayersHaveClasses() {
        List<Layer> required = List.of(domain, application, adapters, bootstrap);
        return classes().should(new EveryLayerHasClasses(required))
                .as("the required layers have classes: " + required)
                .because("a rule about a layer without classes would pass vacuously")
                .allowEmptyShould(false);
    }

    /** The domain depends on the JDK ({@code java..}) only. */
    public ArchRule domainDependsOnTheJdkOnly() {
        return classes().that().resideInAPackage(domain.packages())
                .should().onlyDependOnClassesThat().resideInAnyPackage(domain.packages(), "java..")
                .as("the domain (" + domain.packages() + ") depends on the JDK only")
                .because("the rules of the business are plain Java, free of any framework")
                .allowEmptyShould(false);
    }

    /** The application depends on the domain, slf4j and the JDK only. */
    public ArchRule applicationDependsOnTheDomainSlf4jAndTheJdkOnly() {
        return classes().that().resideInAPackage(application.packages())
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage(application.packages(), domain.packages(), "org.slf4j..", "java..")
                .as("the application (" + application.packages() + ") depends on the domain, slf4j and the JDK only")
                .because("the service layer speaks to infrastructure through its ports only")
                .allowEmptyShould(false);
    }

    /**
     * Who may know whom: adapters are known by bootstrap and service only, bootstrap by service only,
     * service by nobody, the port contract tests by no production code, the application by adapters,
     * bootstrap, service and contracts only.
     */
    public ArchRule onlyTheCompositionRootKnowsAdapters() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInAnyPackage(root + "..")
                .layer(domain.name()).definedBy(domain.packages())
                .layer(application.name()).definedBy(application.packages())
                .layer(adapters.name()).definedBy(adapters.packages())
                .layer(bootstrap.name()).definedBy(bootstrap.packages())
                .optionalLayer(service.name()).definedBy(service.packages())
                .optionalLayer(contracts.name()).definedBy(contracts.packages())
                .whereLayer(adapters.name()).mayOnlyBeAccessedByLayers(bootstrap.name(), service.name())
                .whereLayer(bootstrap.name()).mayOnlyBeAccessedByLayers(service.name())
                .whereLayer(service.name()).mayNotBeAccessedByAnyLayer()
                .whereLayer(contracts.name()).mayNotBeAccessedByAnyLayer()
                .whereLayer(application.name()).mayOnlyBeAccessedByLayers(
                        adapters.name(), bootstrap.name(), service.name(), contracts.name())
                .as(String.format("only the composition root (%s) and the service (%s) know adapters (%s); "
                                + "adapters know neither; no production code knows the contracts (%s)",
                        bootstrap.packages(), service.packages(), adapters.packages(), contracts.packages()))
                .allowEmptyShould(false);
    }

    /** Each adapter {@code <root>.adapters.<name>..} is a slice, and no slice depends on another. */
    public ArchRule adaptersDoNotDependOnEachOther() {
        return slices().matching(root + ".adapters.(*)..").namingSlices("adapter $1")
                .should().notDependOnEachOther()
                .as("adapters (" + adapters.packages() + ") do not depend on each other")
                .because("each adapter plugs into the application's ports, not into another adapter")
                .allowEmptyShould(false);
    }

    /** No cycle between the top-level packages under the root, each adapter a slice of its own. */
    public ArchRule noCyclesBetweenSlices() {
        return slices().assignedFrom(new TopLevelSlices(root))
                .should().beFreeOfCycles()
                .as("the slices of " + root + " (top-level packages, one per adapter) are free of cycles")
                .allowEmptyShould(false);
    }

    /** All the rules, the presence of the required layers first. */
    public List<ArchRule> rules() {
        return List.of(requiredLayersHaveClasses(), domainDependsOnTheJdkOnly(),
                applicationDependsOnTheDomainSlf4jAndTheJdkOnly(), onlyTheCompositionRootKnowsAdapters(),
                adaptersDoNotDependOnEachOther(), noCyclesBetweenSlices());
    }

    /**
     * The violations of every rule together; when a required layer is empty, only the empty layers,
     * since the other rules would be vacuous.
     */
    public EvaluationResult evaluate(JavaClasses classes) {
        EvaluationResult presence = requiredLayersHaveClasses().evaluate(classes);
        return presence.hasViolation() ? presence : CompositeArchRule.of(rules()).evaluate(classes);
    }

    /**
     * Checks every rule.
     *
     * @throws AssertionError naming each violation of every rule, or each empty required layer
     */
    public void check(JavaClasses classes) {
        EvaluationResult result = evaluate(classes);
        if (result.hasViolation()) {
            throw new AssertionError(result.getFailureReport().toString());
        }
    }

    @Override
    public String toString() {
        return "HexagonalRules[" + root + "]";
    }

    /** A layer: its name in reports and the ArchUnit package identifier of its classes. */
    private record Layer(String name, String packages) {

        @Override
        public String toString() {
            return name + " (" + packages + ")";
        }
    }

    /** Every given layer has at least one class among all the classes checked. */
    private static final class EveryLayerHasClasses extends ArchCondition<JavaClass> {

        private final List<Layer> layers;
        private Collection<JavaClass> classes = List.of();

        EveryLayerHasClasses(List<Layer> layers) {
            super("have classes in every required layer: " + layers);
            this.layers = layers;
        }

        @Override
        public void init(Collection<JavaClass> allObjectsToTest) {
            classes = allObjectsToTest;
        }

        @Override
        public void check(JavaClass item, ConditionEvents events) {
            // the verdict is on the whole set, in finish
        }

        @Override
        public void finish(ConditionEvents events) {
            for (Layer layer : layers) {
                if (classes.stream().noneMatch(JavaClass.Predicates.resideInAPackage(layer.packages()))) {
                    events.add(violated(layer, "Layer '" + layer.name() + "' is empty: no class resides in '"
                            + layer.packages() + "', so the rules about it would pass vacuously"));
                }
            }
        }
    }

    /** Top-level packages under the root as slices, each adapter a slice of its own. */
    private record TopLevelSlices(String root) implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String packageName = javaClass.getPackageName();
            if (packageName.equals(root)) {
                return SliceIdentifier.of("(root)");
            }
            if (!packageName.startsWith(root + ".")) {
                return SliceIdentifier.ignore();
            }
            String[] parts = packageName.substring(root.length() + 1).split("\\.");
            boolean adapter = parts[0].equals("adapters") && parts.length > 1;
            return SliceIdentifier.of(adapter ? "adapters." + parts[1] : parts[0]);
        }

        @Override
        public String getDescription() {
            return "top-level packages of " + root + ", one slice per adapter";
        }
    }
}
