package dev.allocation.domain;

/**
 * The rule every identifier of the domain obeys (an order id, a sku, a batch reference): text every
 * store can keep and every reader can see. No control character (no store keeps NUL; a line break could
 * forge a log line), no unpaired surrogate, and not blank in the Unicode sense: invisible characters
 * (no-break spaces, zero-width spaces...) are accepted only beside visible ones.
 */
public final class Identifier {

    /** The longest identifier accepted, counted in {@link String#length()}. */
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
        // not requireNonNull(value, supplier): every command passes here, and that captures a lambda per call
        if (value == null) {
            throw new NullPointerException(field + " must not be null");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    field + " must be at most " + MAX_LENGTH + " characters, was " + value.length());
        }
        if (isPrintableAscii(value)) {   // the usual case, decided without Unicode's tables
            return value;
        }
        boolean visible = false;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            switch (Character.getType(codePoint)) {
                case Character.SURROGATE -> throw new IllegalArgumentException(
                        field + " must be valid Unicode text (unpaired surrogate at " + i + ")");
                case Character.CONTROL -> throw new IllegalArgumentException(String.format(
                        "%s must not contain a control character (U+%04X at %d)", field, codePoint, i));
                default -> visible |= !invisible(codePoint);
            }
            i += Character.charCount(codePoint);
        }
        if (!visible) {
            throw new IllegalArgumentException(field + " must not be blank (it holds only invisible characters:"
                    + " spaces, no-break spaces or format characters)");
        }
        return value;
    }

    /**
     * True when {@code value}, not blank, holds only printable ASCII (space to tilde): then it is valid,
     * as the full check would find, since none of those is a control character, a surrogate or invisible
     * but the space.
     */
    private static boolean isPrintableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** Unicode's White_Space and Default_Ignorable_Code_Point characters (control characters aside). */
    private static boolean invisible(int codePoint) {
        if (Character.isSpaceChar(codePoint) || Character.getType(codePoint) == Character.FORMAT) {
            return true;
        }
        return codePoint == 0x034F                                   // combining grapheme joiner
                || codePoint == 0x115F || codePoint == 0x1160        // Hangul choseong and jungseong fillers
                || codePoint == 0x17B4 || codePoint == 0x17B5        // Khmer inherent vowels
                || (codePoint >= 0x180B && codePoint <= 0x180F)      // Mongolian free variation selectors
                || codePoint == 0x3164 || codePoint == 0xFFA0        // Hangul fillers
                || (codePoint >= 0xFE00 && codePoint <= 0xFE0F)      // variation selectors
                || (codePoint >= 0xFFF0 && codePoint <= 0xFFF8)      // reserved, default ignorable
                || (codePoint >= 0xE0000 && codePoint <= 0xE0FFF);   // tags and variation selectors supplement
    }
}
