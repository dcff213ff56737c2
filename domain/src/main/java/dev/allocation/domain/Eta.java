package dev.allocation.domain;

import java.time.LocalDate;

/**
 * The rule an eta (the date a batch arrives) obeys: null, meaning the batch is in the warehouse now,
 * or a date in the years {@value #FIRST_YEAR} to {@value #LAST_YEAR}. Every store keeps those dates as
 * given; beyond them one store fails (PostgreSQL's dates end in 5874897), another silently keeps
 * something else (PostgreSQL's {@code -infinity}), and years before 1 or after 9999 have no plain ISO
 * form. Values are checked where they enter.
 */
public final class Eta {

    /** The first year of an eta. */
    public static final int FIRST_YEAR = 1;

    /** The last year of an eta. */
    public static final int LAST_YEAR = 9999;

    private Eta() {
    }

    /**
     * Returns {@code eta} when it is null (in the warehouse now) or in the years {@value #FIRST_YEAR} to
     * {@value #LAST_YEAR}.
     *
     * @throws IllegalArgumentException when it is outside those years, naming the field and the range
     */
    public static LocalDate require(LocalDate eta, String field) {
        if (eta != null && (eta.getYear() < FIRST_YEAR || eta.getYear() > LAST_YEAR)) {
            throw new IllegalArgumentException(field + " must be a date in the years " + FIRST_YEAR + " to "
                    + LAST_YEAR + " (0001-01-01 to 9999-12-31) or null, was " + eta);
        }
        return eta;
    }
}
