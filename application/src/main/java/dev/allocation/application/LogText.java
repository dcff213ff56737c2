package dev.allocation.application;

/**
 * Text from outside (an id, a message body, an exception message derived from input) made safe for one
 * log line, so that no input can forge a log line or flood the log: every character that breaks or hides
 * a line (control characters, line and paragraph separators, bidirectional overrides and isolates,
 * unpaired surrogates) is escaped, a backslash is doubled so that an escape cannot be faked, and input
 * is cut at {@value #MAX_INPUT} characters, followed by {@code ...(N chars)}. Use it on every value a
 * log line takes from input.
 */
public final class LogText {

    /** The most characters of input written to a log line. */
    public static final int MAX_INPUT = 200;

    private LogText() {
    }

    /** {@code text} escaped for one log line and cut to {@value #MAX_INPUT} characters; "null" for null. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int end = Math.min(text.length(), MAX_INPUT);
        if (end < text.length() && Character.isSurrogatePair(text.charAt(end - 1), text.charAt(end))) {
            end--;   // never cut a pair in two
        }
        StringBuilder out = new StringBuilder(end + 16);
        text.substring(0, end).codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (mustEscape(c)) {
                        out.append(String.format("\\u%04X", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        if (end < text.length()) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /** {@code value} {@link #escape escaped} only when a log line is written: for lines usually off. */
    public static Object lazy(Object value) {
        return new Object() {
            @Override
            public String toString() {
                return escape(String.valueOf(value));
            }
        };
    }

    private static boolean mustEscape(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true;
            default -> (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
        };
    }
}
