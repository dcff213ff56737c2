package dev.allocation.architecture;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.allocation.architecture.HexagonalRules;

/** The shop's own layout, held to the hexagonal rules by ArchUnit's JUnit 5 engine. */
@AnalyzeClasses(packages = "dev.allocation.architecture.fixture.shop")
class ShopArchitectureTest {

    static final HexagonalRules.Layout SHOP_LAYOUT = HexagonalRules.Layout.standard()
            .domain("core.model")
            .application("core.usecases")
            .adapters("infrastructure")
            .bootstrap("wiring")
            .service("app")
            .applicationMayUse("org.slf4j..");

    @ArchTest
    static final ArchRule hexagonal = HexagonalRules.in("dev.allocation.architecture.fixture.shop")
            .withLayout(SHOP_LAYOUT)
            .asRule();
}
