package dev.allocation.domain;

/** The rules quantities obey: an order line asks for at least one unit, a batch holds zero or more. */
public final class Quantity {

    private Quantity() {
    }

    /** Returns {@code qty} when it is at least 1, else an {@link IllegalArgumentException} naming the field. */
    public static int positive(int qty, String field) {
        if (qty < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, was " + qty);
        }
        return qty;
    }

    /** Returns {@code qty} when it is at least 0, else an {@link IllegalArgumentException} naming the field. */
    public static int nonNegative(int qty, String field) {
        if (qty < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + qty);
        }
        return qty;
    }
}
