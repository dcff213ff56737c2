package dev.allocation.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a rule's failure report as the dependencies it names: {@code "origin -> target"}. */
final class Violations {

    private static final Pattern CLASS_NAME = Pattern.compile("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*");

    private Violations() {
    }

    /** The failure report's details: one entry per violation. */
    static List<String> details(ArchRule rule, JavaClasses classes) {
        return rule.evaluate(classes).getFailureReport().getDetails();
    }

    /**
     * Every dependency the report names, as {@code "origin -> target"}, classes under the root
     * written relative to it: {@code "domain.Product -> org.slf4j.Logger"}.
     */
    static List<String> dependencies(ArchRule rule, JavaClasses classes, String root) {
        List<String> dependencies = new ArrayList<>();
        for (String detail : details(rule, classes)) {
            for (String line : detail.split("\\R")) {
                int location = line.lastIndexOf(" in (");
                List<String> names = classNames(location < 0 ? line : line.substring(0, location));
                if (names.size() >= 2) {
                    dependencies.add(relative(names.get(0), root) + " -> "
                            + relative(names.get(names.size() - 1), root));
                }
            }
        }
        return dependencies;
    }

    private static List<String> classNames(String text) {
        List<String> names = new ArrayList<>();
        Matcher matcher = CLASS_NAME.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    private static String relative(String className, String root) {
        return className.startsWith(root + ".") ? className.substring(root.length() + 1) : className;
    }
}
