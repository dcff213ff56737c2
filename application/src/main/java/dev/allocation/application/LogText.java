package dev.allocation.application;

/**
 * Text from outside (an id, a message body, an exception message derived from input) made safe for
 * one log line.
 *
 * <p>It exists so that no input can forge a log line or flood the log. A CR or LF in an order id
 * would otherwise start a new line that a reader, or a log shipper, takes for one the service wrote;
 * a megabyte body would be written whole. So every character that breaks or hides a line is written as
 * an escape (a control character, Unicode category Cc, as {@code \n}, {@code \r}, {@code \t} or
 * {@code \}{@code uXXXX}; the line and paragraph separators U+2028 and U+2029; the bidirectional
 * overrides and isolates, which reorder what a reader sees; an unpaired surrogate), a backslash is
 * doubled so that an escape cannot be faked, and at most {@value #MAX_INPUT} characters of input are
 * written, followed by {@code ...(N chars)} giving the full length when the input was longer.
 *
 * <p>Use it on every value a log line takes from input; values the service made itself need none.
 */
public final class LogText {

    /** The most characters of input written to a log line. */
    public static final int MAX_INPUT = 200;

    private LogText() {
    }

    /**
     * {@code text} escaped for one log line and cut to {@value #MAX_INPUT} characters of input; "null"
     * for null.
     */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int end = Math.min(text.length(), MAX_INPUT);
        if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))
                && Character.isLowSurrogate(text.charAt(end))) {
            end--;   // never cut a pair in two
        }
        StringBuilder out = new StringBuilder(end + 16);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < end
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (mustEscape(c)) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (end < text.length()) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /**
     * {@code value} as {@link #escape escaped} text, worked out only when a log line is written: for
     * arguments of lines that are usually off, on hot paths.
     */
    public static Object lazy(Object value) {
        return new Object() {
            @Override
            public String toString() {
                return escape(String.valueOf(value));
            }
        };
    }

    private static boolean mustEscape(char c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> true;
            default -> (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
        };
    }
}
