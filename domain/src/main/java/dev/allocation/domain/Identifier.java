package dev.allocation.domain;

import java.util.Objects;

/**
 * The rule every identifier of the domain obeys (an order id, a sku, a batch reference):
 * present, not blank, at most {@value #MAX_LENGTH} characters, and text every store can keep (no NUL
 * character, no half of a surrogate pair). Values are checked where they enter.
 */
public final class Identifier {

    /** The longest identifier the domain accepts, counted in {@link String#length()}. */
    public static final int MAX_LENGTH = 255;

    private Identifier() {
    }

    /**
     * Returns {@code value} when it is a valid identifier.
     *
     * @throws NullPointerException     when it is null, naming the field
     * @throws IllegalArgumentException when it is blank, too long or not valid text, naming the field
     */
    public static String require(String value, String field) {
        Objects.requireNonNull(value, () -> field + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    field + " must be at most " + MAX_LENGTH + " characters, was " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                throw new IllegalArgumentException(field + " must not contain the NUL character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(field + " must be valid Unicode text (unpaired surrogate at " + i + ")");
            }
        }
        return value;
    }
}
