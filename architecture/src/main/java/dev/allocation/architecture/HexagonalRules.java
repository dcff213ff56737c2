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
 * package (such as {@code "dev.allocation"}):
 *
 * <ul>
 *   <li>{@code <root>.domain..} depends on the JDK ({@code java..}) only;
 *   <li>{@code <root>.application..} depends on the domain, slf4j and the JDK only;
 *   <li>each adapter {@code <root>.adapters.<name>..} is independent of the other adapters;
 *   <li>only {@code <root>.bootstrap..} (the composition root) and {@code <root>.service..} (the
 *       runnable service) know adapters; adapters never know bootstrap or service, only service
 *       knows bootstrap, and no production code knows the port contract tests {@code
 *       <root>.contracts..};
 *   <li>no cycle between the slices: each top-level package under the root, each adapter its own.
 * </ul>
 *
 * <p>No rule passes vacuously: the domain, application, adapters (at least one adapter) and
 * bootstrap layers must have classes, else the check fails and names the empty layer. The service
 * and contracts layers are optional.
 *
 * <pre>{@code
 * JavaClasses classes = new ClassFileImporter()
 *         .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
 *         .importPackages("dev.allocation");
 * HexagonalRules.in("dev.allocation").check(classes);
 * }</pre>
 */
public final class HexagonalRules {

    private final String root;
    private final Layer domain;
    private final Layer application;
    private final Layer adapters;
    private final Layer bootstrap;
    private final Layer service;
    private final Layer contracts;

    private HexagonalRules(String root) {
        this.root = root;
        this.domain = new Layer("Domain", root + ".domain..");
        this.application = new Layer("Application", root + ".application..");
        this.adapters = new Layer("Adapters", root + ".adapters..");
        this.bootstrap = new Layer("Bootstrap", root + ".bootstrap..");
        this.service = new Layer("Service", root + ".service..");
        this.contracts = new Layer("Contracts", root + ".contracts..");
    }

    /**
     * The rules for the packages under a root package.
     *
     * @param rootPackage the package that holds {@code domain}, {@code application}, {@code
     *     adapters}, {@code bootstrap}..., such as {@code "dev.allocation"}
     * @return the rule set
     * @throws IllegalArgumentException when the root package is blank or not a package name
     */
    public static HexagonalRules in(String rootPackage) {
        requireNonNull(rootPackage, "rootPackage");
        if (!rootPackage.matches("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*")) {
            throw new IllegalArgumentException("rootPackage is not a package name: '" + rootPackage + "'");
        }
        return new HexagonalRules(rootPackage);
    }

    /**
     * The root package the rules speak of.
     *
     * @return the root package, such as {@code "dev.allocation"}
     */
    public String rootPackage() {
        return root;
    }

    /**
     * The layers that must have classes: domain, application, adapters and bootstrap.
     *
     * @return the required layers, in dependency order
     */
    public List<Layer> requiredLayers() {
        return List.of(domain, application, adapters, bootstrap);
    }

    /**
     * The layers that may be absent: the runnable service and the port contract tests.
     *
     * @return the optional layers
     */
    public List<Layer> optionalLayers() {
        return List.of(service, contracts);
    }

    /**
     * Every required layer has classes, so that no other rule passes vacuously.
     *
     * @return the rule
     */
    public ArchRule requiredLayersHaveClasses() {
        return classes().should(new EveryLayerHasClasses(requiredLayers()))
                .as("the required layers have classes: " + requiredLayers())
                .because("a rule about a layer without classes would pass vacuously")
                .allowEmptyShould(false);
    }

    /**
     * The domain depends on the JDK ({@code java..}) only.
     *
     * @return the rule
     */
    public ArchRule domainDependsOnTheJdkOnly() {
        return classes().that().resideInAPackage(domain.packageIdentifier())
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage(domain.packageIdentifier(), "java..")
                .as(String.format("the domain (%s) depends on the JDK only", domain.packageIdentifier()))
                .because("the rules of the business are plain Java, free of any framework")
                .allowEmptyShould(false);
    }

    /**
     * The application depends on the domain, slf4j and the JDK only.
     *
     * @return the rule
     */
    public ArchRule applicationDependsOnTheDomainSlf4jAndTheJdkOnly() {
        return classes().that().resideInAPackage(application.packageIdentifier())
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage(application.packageIdentifier(), domain.packageIdentifier(),
                        "org.slf4j..", "java..")
                .as(String.format("the application (%s) depends on the domain, slf4j and the JDK only",
                        application.packageIdentifier()))
                .because("the service layer speaks to infrastructure through its ports only")
                .allowEmptyShould(false);
    }

    /**
     * Who may know whom: adapters are known by bootstrap and service only, bootstrap by service
     * only, service by nobody, the port contract tests by no production code, the application
     * by adapters, bootstrap, service and contracts only.
     *
     * @return the rule
     */
    public ArchRule onlyTheCompositionRootKnowsAdapters() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInAnyPackage(root + "..")
                .layer(domain.name()).definedBy(domain.packageIdentifier())
                .layer(application.name()).definedBy(application.packageIdentifier())
                .layer(adapters.name()).definedBy(adapters.packageIdentifier())
                .layer(bootstrap.name()).definedBy(bootstrap.packageIdentifier())
                .optionalLayer(service.name()).definedBy(service.packageIdentifier())
                .optionalLayer(contracts.name()).definedBy(contracts.packageIdentifier())
                .whereLayer(adapters.name()).mayOnlyBeAccessedByLayers(bootstrap.name(), service.name())
                .whereLayer(bootstrap.name()).mayOnlyBeAccessedByLayers(service.name())
                .whereLayer(service.name()).mayNotBeAccessedByAnyLayer()
                .whereLayer(contracts.name()).mayNotBeAccessedByAnyLayer()
                .whereLayer(application.name()).mayOnlyBeAccessedByLayers(
                        adapters.name(), bootstrap.name(), service.name(), contracts.name())
                .as(String.format("only the composition root (%s) and the service (%s) know adapters (%s); "
                                + "adapters know neither; no production code knows the contracts (%s)",
                        bootstrap.packageIdentifier(), service.packageIdentifier(),
                        adapters.packageIdentifier(), contracts.packageIdentifier()))
                .allowEmptyShould(false);
    }

    /**
     * Adapters never depend on each other: {@code <root>.adapters.<name>..} is one slice per
     * adapter, and no slice depends on another. Present adapters are checked; at least one
     * adapter must exist.
     *
     * @return the rule
     */
    public ArchRule adaptersDoNotDependOnEachOther() {
        return slices().matching(root + ".adapters.(*)..").namingSlices("adapter $1")
                .should().notDependOnEachOther()
                .as(String.format("adapters (%s) do not depend on each other", adapters.packageIdentifier()))
                .because("each adapter plugs into the application's ports, not into another adapter")
                .allowEmptyShould(false);
    }

    /**
     * No cycle between slices: each top-level package under the root is a slice ({@code
     * domain}, {@code application}, {@code bootstrap}...), except that each adapter is a slice of
     * its own ({@code adapters.memory}, {@code adapters.jdbc}...).
     *
     * @return the rule
     */
    public ArchRule noCyclesBetweenSlices() {
        return slices().assignedFrom(new TopLevelSlices(root))
                .should().beFreeOfCycles()
                .as(String.format("the slices of %s (top-level packages, one per adapter) are free of cycles", root))
                .allowEmptyShould(false);
    }

    /**
     * All the rules, the presence of the required layers first.
     *
     * @return the rules, in the order they are checked
     */
    public List<ArchRule> rules() {
        return List.of(
                requiredLayersHaveClasses(),
                domainDependsOnTheJdkOnly(),
                applicationDependsOnTheDomainSlf4jAndTheJdkOnly(),
                onlyTheCompositionRootKnowsAdapters(),
                adaptersDoNotDependOnEachOther(),
                noCyclesBetweenSlices());
    }

    /**
     * Evaluates every rule and collects the violations of all of them; when a required layer is
     * empty, the result names the empty layers only, since the other rules would be vacuous.
     *
     * @param classes the imported classes
     * @return the result of all the rules
     */
    public EvaluationResult evaluate(JavaClasses classes) {
        EvaluationResult presence = requiredLayersHaveClasses().evaluate(classes);
        if (presence.hasViolation()) {
            return presence;
        }
        return CompositeArchRule.of(rules()).evaluate(classes);
    }

    /**
     * Checks every rule, and reports the violations of all of them at once.
     *
     * @param classes the imported classes
     * @throws AssertionError naming each violation, or each empty required layer
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

    /** Every given layer has at least one class among the classes under the root. */
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
                if (classes.stream().noneMatch(layer::contains)) {
                    events.add(violated(layer, "Layer '" + layer.name() + "' is empty: no class resides in '"
                            + layer.packageIdentifier() + "', so the rules about it would pass vacuously"));
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
            if (parts[0].equals("adapters") && parts.length > 1) {
                return SliceIdentifier.of(parts[0] + "." + parts[1]);
            }
            return SliceIdentifier.of(parts[0]);
        }

        @Override
        public String getDescription() {
            return "top-level packages of " + root + ", one slice per adapter";
        }
    }
}
