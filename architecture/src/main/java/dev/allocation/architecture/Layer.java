package dev.allocation.architecture;

import static java.util.Objects.requireNonNull;

import com.tngtech.archunit.core.domain.JavaClass;

/**
 * One layer of the architecture: a name for reports and the ArchUnit package identifier of its
 * classes, such as {@code "dev.allocation.domain.."}.
 *
 * @param name the layer's name in reports, such as {@code "Domain"}
 * @param packageIdentifier the ArchUnit package identifier of the layer's classes
 */
public record Layer(String name, String packageIdentifier) {

    /**
     * Checks both values are given.
     *
     * @param name the layer's name in reports
     * @param packageIdentifier the ArchUnit package identifier of the layer's classes
     */
    public Layer {
        requireNonNull(name, "name");
        requireNonNull(packageIdentifier, "packageIdentifier");
    }

    /**
     * Tells whether a class belongs to this layer.
     *
     * @param javaClass an imported class
     * @return true when the class resides in the layer's packages
     */
    public boolean contains(JavaClass javaClass) {
        return JavaClass.Predicates.resideInAPackage(packageIdentifier).test(javaClass);
    }

    @Override
    public String toString() {
        return name + " (" + packageIdentifier + ")";
    }
}
