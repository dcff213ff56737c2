package dev.allocation.architecture;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTag;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules as {@code @ArchTest} fields on the broken fixture, for ArchUnit's engine to fail in
 * {@link ArchUnitEngineTest}. Surefire does not run it on its own: its name ends in neither Test nor
 * Tests, and the module's POM excludes its tag.
 */
@ArchTag(BrokenProjectArchitecture.TAG)
@AnalyzeClasses(packages = BrokenProjectArchitecture.ROOT)
final class BrokenProjectArchitecture {

    static final String TAG = "fails-on-purpose";

    static final String ROOT = "dev.allocation.architecture.fixture.broken";

    @ArchTest
    static final ArchRule hexagonal = HexagonalRules.in(ROOT).asRule();

    @ArchTest
    static final ArchRule domain = HexagonalRules.in(ROOT).domainDependsOnTheJdkOnly();

    @ArchTest
    static final ArchRule misspelledRoot = HexagonalRules.in(ROOT + "s").asRule();

    private BrokenProjectArchitecture() {
    }
}
