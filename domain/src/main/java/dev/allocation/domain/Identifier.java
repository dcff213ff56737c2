package dev.allocation.domain;

import java.util.Objects;

/**
 * The rule every identifier of the domain obeys (an order id, a sku, a batch reference): present, not
 * blank, at most {@value #MAX_LENGTH} characters, and text every store can keep and every reader can
 * see. Values are checked where they enter.
 *
 * <ul>
 *   <li>No control character (Unicode category Cc: NUL, CR, LF, tab, DEL, C1 controls...): no store
 *       keeps NUL, and a line break in an id could forge a line of a log or a report.</li>
 *   <li>No half of a surrogate pair: it is no Unicode text, and stores replace or refuse it.</li>
 *   <li>Not blank in the Unicode sense: an id made only of invisible characters (whitespace,
 *       no-break spaces such as U+00A0, U+2007 and U+202F, format characters such as the zero-width
 *       space U+200B or U+FEFF, other default-ignorable characters) looks empty to anyone reading it.
 *       Such characters are accepted beside visible ones.</li>
 * </ul>
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
     * @throws IllegalArgumentException when it is blank (in the Unicode sense), too long or not valid
     *                                  text (a control character, an unpaired surrogate), naming the field
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
        boolean visible = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int codePoint = c;
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, value.charAt(i + 1));
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(field + " must be valid Unicode text (unpaired surrogate at " + i + ")");
            }
            if (Character.getType(codePoint) == Character.CONTROL) {
                throw new IllegalArgumentException(String.format(
                        "%s must not contain a control character (U+%04X at %d)", field, codePoint, i));
            }
            visible |= !invisible(codePoint);
            i += Character.charCount(codePoint) - 1;
        }
        if (!visible) {
            throw new IllegalArgumentException(field + " must not be blank (it holds only invisible characters:"
                    + " spaces, no-break spaces or format characters)");
        }
        return value;
    }

    /**
     * True for a character that shows nothing: Unicode's White_Space and Default_Ignorable_Code_Point
     * (control characters aside, refused before). Space separators (Zs, no-break spaces included), line
     * and paragraph separators, format characters (Cf), and the few default-ignorable characters of
     * other categories (the combining grapheme joiner, Hangul fillers, variation selectors...).
     */
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
