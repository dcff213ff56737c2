package dev.allocation.domain;

import java.time.LocalDate;

/**
 * The rule an eta (the date a batch arrives) obeys: null, meaning the batch is in the warehouse now,
 * or a date in the years {@value #FIRST_YEAR} to {@value #LAST_YEAR}, which every store keeps as given
 * and which have a plain ISO form.
 */
public final class Eta {

    /** The first year an eta may have. */
    public static final int FIRST_YEAR = 1;
    /** The last year an eta may have. */
    public static final int LAST_YEAR = 9999;

    private Eta() {
    }

    /**
     * Returns {@code eta} when it is null or within the years allowed.
     *
     * @throws IllegalArgumentException otherwise, naming the field and the range
     */
    public static LocalDate require(LocalDate eta, String field) {
        if (eta != null && (eta.getYear() < FIRST_YEAR || eta.getYear() > LAST_YEAR)) {
            throw new IllegalArgumentException(field + " must be a date in the years " + FIRST_YEAR + " to "
                    + LAST_YEAR + " (0001-01-01 to 9999-12-31) or null, was " + eta);
        }
        return eta;
    }
}
