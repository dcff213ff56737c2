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
import com.tngtech.archunit.lang.Priority;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The dependency rules of a hexagonal architecture, for the packages under one root package (such
 * as {@code "dev.allocation"}), so that a project's test suite can hold its code to them; the
 * module's README lists them. The layer packages and the libraries the application may use follow
 * a {@link Layout}, this project's by default.
 *
 * <p>No rule passes vacuously: the domain, application, adapters (at least one) and bootstrap
 * layers must have classes, and so must the service and contracts layers once a {@link Layout}
 * names them; else the rules fail naming each empty layer and its package. A misspelled root or
 * layer package therefore fails loudly instead of checking nothing.
 *
 * <p>Two ways to run them, with the same verdict: {@link #check(JavaClasses)} from any test, or
 * {@link #asRule()} (or each rule on its own) as an ArchUnit {@code @ArchTest} field.
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
    private final Layout layout;
    private final Layer domain;
    private final Layer application;
    private final Layer adapters;
    private final Layer bootstrap;
    private final Layer service;
    private final Layer contracts;
    private final Layer publishedLanguage;

    private HexagonalRules(String root, Layout layout) {
        this.root = root;
        this.layout = layout;
        domain = new Layer("Domain", root, layout.domain, true);
        application = new Layer("Application", root, layout.application, true);
        adapters = new Layer("Adapters", root, layout.adapters, true);
        bootstrap = new Layer("Bootstrap", root, layout.bootstrap, true);
        service = new Layer("Service", root, layout.service, layout.serviceNamed);
        contracts = new Layer("Contracts", root, layout.contracts, layout.contractsNamed);
        publishedLanguage = new Layer("Published language", root, layout.publishedLanguage,
                layout.publishedLanguageNamed);
    }

    /**
     * The rules for the packages under {@code rootPackage}, such as {@code "dev.allocation"}, laid
     * out as this project is ({@link Layout#standard()}).
     *
     * @param rootPackage the package all the layers are under
     * @return the rules, in the standard layout
     * @throws IllegalArgumentException when it is not a package name
     */
    public static HexagonalRules in(String rootPackage) {
        requireNonNull(rootPackage, "rootPackage");
        if (!rootPackage.matches(PACKAGE_NAME)) {
            throw new IllegalArgumentException("rootPackage is not a package name: '" + rootPackage + "'");
        }
        return new HexagonalRules(rootPackage, Layout.standard());
    }

    /**
     * The same rules for a project whose layers live in other packages, or whose application may use
     * other libraries; this object is left as it is.
     *
     * @param layout where the layers live and what the application may use
     * @return the rules for the same root in that layout
     * @throws IllegalArgumentException when two layers share a package, or one lies inside another,
     *     since a class would then belong to two layers
     */
    public HexagonalRules withLayout(Layout layout) {
        requireNonNull(layout, "layout");
        layout.requireDisjointLayers();
        return new HexagonalRules(root, layout);
    }

    /**
     * Every required layer has classes, so that no other rule passes vacuously.
     *
     * @return the rule, failing with one violation per empty layer, naming its package
     */
    public ArchRule requiredLayersHaveClasses() {
        List<Layer> required = Stream.of(domain, application, adapters, bootstrap, service, contracts,
                        publishedLanguage)
                .filter(Layer::required).toList();
        return classes().should(new EveryLayerHasClasses(required, adapters, root + "." + layout.adapters))
                .as("the required layers have classes: " + required)
                .because("a rule about a layer without classes would pass vacuously")
                .allowEmptyShould(false);
    }

    /**
     * The domain depends on the JDK ({@code java..}) only: plain Java is the point of a domain model.
     *
     * @return the rule, failing with one violation per offending dependency
     */
    public ArchRule domainDependsOnTheJdkOnly() {
        return classes().that().resideInAPackage(domain.packages())
                .should().onlyDependOnClassesThat().resideInAnyPackage(domain.packages(), "java..")
                .as("the domain (" + domain.packages() + ") depends on the JDK only")
                .because("the rules of the business are plain Java, free of any framework")
                .allowEmptyShould(false);
    }

    /**
     * The application depends on the domain, the libraries the {@link Layout} allows it ({@code
     * org.slf4j..} by default) and the JDK only.
     *
     * @return the rule, failing with one violation per offending dependency
     */
    public ArchRule applicationDependsOnTheDomainItsLibrariesAndTheJdkOnly() {
        List<String> allowed = new ArrayList<>(List.of(application.packages(), domain.packages()));
        allowed.addAll(layout.applicationLibraries);
        allowed.add("java..");
        return classes().that().resideInAPackage(application.packages())
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowed.toArray(String[]::new))
                .as("the application (" + application.packages() + ") depends on the domain, "
                        + libraries(layout.applicationLibraries) + "and the JDK only")
                .because("the service layer speaks to infrastructure through its ports only")
                .allowEmptyShould(false);
    }

    /**
     * The application depends on the domain, its libraries and the JDK only.
     *
     * @deprecated named when slf4j was the only library allowed; use {@link
     *     #applicationDependsOnTheDomainItsLibrariesAndTheJdkOnly()}, the same rule.
     * @return the same rule as {@link #applicationDependsOnTheDomainItsLibrariesAndTheJdkOnly()}
     */
    @Deprecated
    public ArchRule applicationDependsOnTheDomainSlf4jAndTheJdkOnly() {
        return applicationDependsOnTheDomainItsLibrariesAndTheJdkOnly();
    }

    /**
     * Who may know whom: adapters are known by bootstrap and service only, bootstrap by service only,
     * service by nobody, the port contract tests by no production code, the application by adapters,
     * bootstrap, service and contracts only, and so is the published language: it knows the domain
     * only among the layers (every other layer is closed to it), so that adapters share it without
     * knowing each other, and the core never learns a wire format.
     *
     * @return ArchUnit's layered architecture rule for these layers
     */
    public ArchRule onlyTheCompositionRootKnowsAdapters() {
        LayeredArchitecture layers = layeredArchitecture()
                .consideringOnlyDependenciesInAnyPackage(root + "..")
                .layer(domain.name()).definedBy(domain.packages())
                .layer(application.name()).definedBy(application.packages())
                .layer(adapters.name()).definedBy(adapters.packages())
                .layer(bootstrap.name()).definedBy(bootstrap.packages());
        layers = service.required()
                ? layers.layer(service.name()).definedBy(service.packages())
                : layers.optionalLayer(service.name()).definedBy(service.packages());
        layers = contracts.required()
                ? layers.layer(contracts.name()).definedBy(contracts.packages())
                : layers.optionalLayer(contracts.name()).definedBy(contracts.packages());
        layers = publishedLanguage.required()
                ? layers.layer(publishedLanguage.name()).definedBy(publishedLanguage.packages())
                : layers.optionalLayer(publishedLanguage.name()).definedBy(publishedLanguage.packages());
        return layers
                .whereLayer(adapters.name()).mayOnlyBeAccessedByLayers(bootstrap.name(), service.name())
                .whereLayer(bootstrap.name()).mayOnlyBeAccessedByLayers(service.name())
                .whereLayer(service.name()).mayNotBeAccessedByAnyLayer()
                .whereLayer(contracts.name()).mayNotBeAccessedByAnyLayer()
                .whereLayer(application.name()).mayOnlyBeAccessedByLayers(
                        adapters.name(), bootstrap.name(), service.name(), contracts.name())
                .whereLayer(publishedLanguage.name()).mayOnlyBeAccessedByLayers(
                        adapters.name(), bootstrap.name(), service.name(), contracts.name())
                .as(String.format("only the composition root (%s) and the service (%s) know adapters (%s); "
                                + "adapters know neither; no production code knows the contracts (%s); "
                                + "the published language (%s) knows only the domain, and only the edges know it",
                        bootstrap.packages(), service.packages(), adapters.packages(), contracts.packages(),
                        publishedLanguage.packages()))
                .allowEmptyShould(false);
    }

    /**
     * Each adapter (a package right under the adapters package) is a slice, and no slice depends on
     * another.
     *
     * @return the rule, failing once per pair of adapters that depend on each other
     */
    public ArchRule adaptersDoNotDependOnEachOther() {
        return slices().matching(root + "." + layout.adapters + ".(*)..").namingSlices("adapter $1")
                .should().notDependOnEachOther()
                .as("adapters (" + adapters.packages() + ") do not depend on each other")
                .because("each adapter plugs into the application's ports, not into another adapter")
                .allowEmptyShould(false);
    }

    /**
     * No cycle between the slices of the root: one per layer, one per adapter, one per other
     * top-level package.
     *
     * @return the rule, failing once per cycle
     */
    public ArchRule noCyclesBetweenSlices() {
        return slices().assignedFrom(new LayoutSlices(root, layout))
                .should().beFreeOfCycles()
                .as("the slices of " + root + " (one per layer, one per adapter, one per other top-level package)"
                        + " are free of cycles")
                .allowEmptyShould(false);
    }

    /**
     * All the rules, the presence of the required layers first; each can be an {@code @ArchTest} field.
     *
     * @return the six rules of the README's table, in its order
     */
    public List<ArchRule> rules() {
        return List.of(requiredLayersHaveClasses(), domainDependsOnTheJdkOnly(),
                applicationDependsOnTheDomainItsLibrariesAndTheJdkOnly(), onlyTheCompositionRootKnowsAdapters(),
                adaptersDoNotDependOnEachOther(), noCyclesBetweenSlices());
    }

    /**
     * All the rules as one ArchUnit rule, for an {@code @ArchTest} field: it checks what {@link
     * #check(JavaClasses)} checks, the presence of the required layers included, and reports the
     * same violations.
     *
     * @return one rule, which never passes vacuously
     */
    public ArchRule asRule() {
        return new AllRules("the hexagonal rules of " + root + " (" + layout + ")");
    }

    /**
     * The violations of every rule together; when a required layer is empty, only the empty layers,
     * since the other rules would be vacuous.
     *
     * @param classes the classes to check, such as a project's production classes
     * @return the violations, one per offending dependency, cycle or empty layer
     */
    public EvaluationResult evaluate(JavaClasses classes) {
        EvaluationResult presence = requiredLayersHaveClasses().evaluate(classes);
        return presence.hasViolation() ? presence : CompositeArchRule.of(rules()).evaluate(classes);
    }

    /**
     * Checks every rule.
     *
     * @param classes the classes to check, such as a project's production classes
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
        return "HexagonalRules[" + root + ", " + layout + "]";
    }

    private static String libraries(List<String> packages) {
        return packages.isEmpty() ? "" : String.join(", ", packages) + " ";
    }

    private static String packageName(String packageName, String what) {
        requireNonNull(packageName, what);
        if (!packageName.matches(PACKAGE_NAME)) {
            throw new IllegalArgumentException(what + " is not a package name: '" + packageName + "'");
        }
        return packageName;
    }

    /**
     * Where the layers live, as packages relative to the root package, and which libraries the
     * application may use besides the domain and the JDK; immutable, each method returns a changed
     * copy. A project laid out otherwise than this one says so here rather than renaming its packages:
     *
     * <pre>{@code
     * HexagonalRules.Layout.standard()
     *         .domain("core.model")
     *         .application("core.usecases")
     *         .adapters("infrastructure")
     *         .applicationMayUse("org.slf4j..", "jakarta.inject..")
     * }</pre>
     *
     * <p>The service, contracts and published language layers are optional while they keep their
     * standard packages; once named here, they must have classes like the other layers, so that a misspelled name fails.
     */
    public static final class Layout {

        private static final Layout STANDARD = new Layout("domain", "application", "adapters", "bootstrap",
                "service", false, "contracts", false, "wire", false, List.of("org.slf4j.."));

        private final String domain;
        private final String application;
        private final String adapters;
        private final String bootstrap;
        private final String service;
        private final boolean serviceNamed;
        private final String contracts;
        private final boolean contractsNamed;
        private final String publishedLanguage;
        private final boolean publishedLanguageNamed;
        private final List<String> applicationLibraries;

        private Layout(String domain, String application, String adapters, String bootstrap, String service,
                boolean serviceNamed, String contracts, boolean contractsNamed, String publishedLanguage,
                boolean publishedLanguageNamed, List<String> applicationLibraries) {
            this.domain = domain;
            this.application = application;
            this.adapters = adapters;
            this.bootstrap = bootstrap;
            this.service = service;
            this.serviceNamed = serviceNamed;
            this.contracts = contracts;
            this.contractsNamed = contractsNamed;
            this.publishedLanguage = publishedLanguage;
            this.publishedLanguageNamed = publishedLanguageNamed;
            this.applicationLibraries = applicationLibraries;
        }

        /**
         * This project's layout, the default: {@code domain}, {@code application}, {@code adapters}
         * (one package per adapter under it), {@code bootstrap}, and the optional {@code service},
         * {@code contracts} and {@code wire} (the published language); the application may use
         * {@code org.slf4j..}.
         *
         * @return the standard layout
         */
        public static Layout standard() {
            return STANDARD;
        }

        /**
         * The domain model's package, relative to the root, such as {@code "core.model"}.
         *
         * @param relativePackage the package under the root
         * @return this layout with that domain
         */
        public Layout domain(String relativePackage) {
            return new Layout(packageName(relativePackage, "domain"), application, adapters, bootstrap, service,
                    serviceNamed, contracts, contractsNamed, publishedLanguage, publishedLanguageNamed,
                    applicationLibraries);
        }

        /**
         * The application's (use cases and ports) package, relative to the root, such as {@code
         * "core.usecases"}.
         *
         * @param relativePackage the package under the root
         * @return this layout with that application
         */
        public Layout application(String relativePackage) {
            return new Layout(domain, packageName(relativePackage, "application"), adapters, bootstrap, service,
                    serviceNamed, contracts, contractsNamed, publishedLanguage, publishedLanguageNamed,
                    applicationLibraries);
        }

        /**
         * The package under which each adapter has a package of its own, relative to the root, such
         * as {@code "infrastructure"} for {@code infrastructure.persistence} and {@code infrastructure.web}.
         *
         * @param relativePackage the package under the root
         * @return this layout with those adapters
         */
        public Layout adapters(String relativePackage) {
            return new Layout(domain, application, packageName(relativePackage, "adapters"), bootstrap, service,
                    serviceNamed, contracts, contractsNamed, publishedLanguage, publishedLanguageNamed,
                    applicationLibraries);
        }

        /**
         * The composition root's package, relative to the root, such as {@code "wiring"}.
         *
         * @param relativePackage the package under the root
         * @return this layout with that composition root
         */
        public Layout bootstrap(String relativePackage) {
            return new Layout(domain, application, adapters, packageName(relativePackage, "bootstrap"), service,
                    serviceNamed, contracts, contractsNamed, publishedLanguage, publishedLanguageNamed,
                    applicationLibraries);
        }

        /**
         * The runnable service's package, relative to the root, such as {@code "app"}; once named,
         * it must have classes.
         *
         * @param relativePackage the package under the root
         * @return this layout with that service, now required
         */
        public Layout service(String relativePackage) {
            return new Layout(domain, application, adapters, bootstrap, packageName(relativePackage, "service"),
                    true, contracts, contractsNamed, publishedLanguage, publishedLanguageNamed, applicationLibraries);
        }

        /**
         * The port contract tests' package, relative to the root, such as {@code "testkit"}; once
         * named, it must have classes.
         *
         * @param relativePackage the package under the root
         * @return this layout with those contracts, now required
         */
        public Layout contracts(String relativePackage) {
            return new Layout(domain, application, adapters, bootstrap, service, serviceNamed,
                    packageName(relativePackage, "contracts"), true, publishedLanguage, publishedLanguageNamed,
                    applicationLibraries);
        }

        /**
         * The published language's package, relative to the root, such as {@code "wire"} (the standard
         * one): the formats other systems read and write (the JSON of integration events and of the
         * messages received), shared by the adapters that carry them. It may know the domain only, and
         * the domain and application may not know it. Once named, it must have classes.
         *
         * @param relativePackage the package under the root
         * @return this layout with that published language, now required
         */
        public Layout publishedLanguage(String relativePackage) {
            return new Layout(domain, application, adapters, bootstrap, service, serviceNamed, contracts,
                    contractsNamed, packageName(relativePackage, "publishedLanguage"), true, applicationLibraries);
        }

        /**
         * The libraries the application may use besides the domain and the JDK, as ArchUnit package
         * identifiers such as {@code "org.slf4j.."}; they replace the standard {@code org.slf4j..}, and
         * none at all is allowed.
         *
         * @param libraryPackages ArchUnit package identifiers, none for no library
         * @return this layout with those libraries
         */
        public Layout applicationMayUse(String... libraryPackages) {
            List<String> libraries = List.copyOf(Arrays.asList(requireNonNull(libraryPackages, "libraryPackages")));
            for (String library : libraries) {
                if (library.isBlank() || library.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("not a package identifier: '" + library + "'");
                }
            }
            return new Layout(domain, application, adapters, bootstrap, service, serviceNamed, contracts,
                    contractsNamed, publishedLanguage, publishedLanguageNamed, libraries);
        }

        private void requireDisjointLayers() {
            List<String> layers = List.of(domain, application, adapters, bootstrap, service, contracts,
                    publishedLanguage);
            for (int i = 0; i < layers.size(); i++) {
                for (int j = 0; j < layers.size(); j++) {
                    String one = layers.get(i);
                    String other = layers.get(j);
                    if (i != j && (one.equals(other) || other.startsWith(one + "."))) {
                        throw new IllegalArgumentException("two layers share package '" + other + "' in " + this
                                + ": a class would belong to both");
                    }
                }
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Layout that && toString().equals(that.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        /** The layers and libraries, the optional layers not named marked so. */
        @Override
        public String toString() {
            return "domain=" + domain + ", application=" + application + ", adapters=" + adapters
                    + ", bootstrap=" + bootstrap + ", service=" + service + (serviceNamed ? "" : " (optional)")
                    + ", contracts=" + contracts + (contractsNamed ? "" : " (optional)")
                    + ", published language=" + publishedLanguage + (publishedLanguageNamed ? "" : " (optional)")
                    + ", application may use " + applicationLibraries;
        }
    }

    /** A layer: its name in reports, the ArchUnit package identifier of its classes, whether it must have any. */
    private record Layer(String name, String packages, boolean required) {

        Layer(String name, String root, String relativePackage, boolean required) {
            this(name, root + "." + relativePackage + "..", required);
        }

        @Override
        public String toString() {
            return name + " (" + packages + ")";
        }
    }

    /** All the rules as one ArchUnit rule, its verdict that of {@link HexagonalRules#evaluate(JavaClasses)}. */
    private final class AllRules implements ArchRule {

        private final String description;

        AllRules(String description) {
            this.description = description;
        }

        @Override
        public EvaluationResult evaluate(JavaClasses classes) {
            EvaluationResult result = new EvaluationResult(this, Priority.MEDIUM);
            result.add(HexagonalRules.this.evaluate(classes));
            return result;
        }

        @Override
        public void check(JavaClasses classes) {
            Assertions.assertNoViolation(evaluate(classes));
        }

        @Override
        public ArchRule because(String reason) {
            return new AllRules(description + ", because " + reason);
        }

        /**
         * Only {@code false}, which it is already: these rules never pass vacuously.
         *
         * @throws UnsupportedOperationException for {@code true}
         */
        @Override
        public ArchRule allowEmptyShould(boolean allowEmptyShould) {
            if (allowEmptyShould) {
                throw new UnsupportedOperationException("the hexagonal rules never pass vacuously: "
                        + "every required layer must have classes");
            }
            return this;
        }

        @Override
        public ArchRule as(String newDescription) {
            return new AllRules(newDescription);
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** Every given layer has at least one class among all the classes checked. */
    private static final class EveryLayerHasClasses extends ArchCondition<JavaClass> {

        private final List<Layer> layers;
        private final Layer adapters;
        private final String adaptersPackage;
        private Collection<JavaClass> classes = List.of();

        EveryLayerHasClasses(List<Layer> layers, Layer adapters, String adaptersPackage) {
            super("have classes in every required layer: " + layers);
            this.layers = layers;
            this.adapters = adapters;
            this.adaptersPackage = adaptersPackage;
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
                } else if (layer.equals(adapters)
                        && classes.stream().noneMatch(JavaClass.Predicates.resideInAPackage(adaptersPackage + ".*.."))) {
                    events.add(violated(layer, "Layer '" + layer.name() + "' has no adapter: no class resides in a "
                            + "package under '" + adaptersPackage + "', one per adapter, so the rule about adapters "
                            + "would pass vacuously"));
                }
            }
        }
    }

    /**
     * The slices of the root: one per layer, one per adapter, one per other top-level package. With
     * the standard layout, these are the top-level packages, each adapter a slice of its own.
     */
    private record LayoutSlices(String root, Layout layout) implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String packageName = javaClass.getPackageName();
            if (packageName.equals(root)) {
                return SliceIdentifier.of("(root)");
            }
            if (!packageName.startsWith(root + ".")) {
                return SliceIdentifier.ignore();
            }
            String relative = packageName.substring(root.length() + 1);
            if (relative.startsWith(layout.adapters + ".")) {
                String adapter = relative.substring(layout.adapters.length() + 1).split("\\.")[0];
                return SliceIdentifier.of(layout.adapters + "." + adapter);
            }
            for (String layer : List.of(layout.domain, layout.application, layout.adapters, layout.bootstrap,
                    layout.service, layout.contracts, layout.publishedLanguage)) {
                if (relative.equals(layer) || relative.startsWith(layer + ".")) {
                    return SliceIdentifier.of(layer);
                }
            }
            return SliceIdentifier.of(relative.split("\\.")[0]);
        }

        @Override
        public String getDescription() {
            return "the slices of " + root + ": one per layer, one per adapter, one per other top-level package";
        }
    }
}
