package dev.allocation.adapters.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Text from bytes that must be UTF-8, refused (400) unless they are exactly that: no overlong form
 * ({@code C0 AF} is not "/"), no surrogate ({@code ED A0 80}), no truncated sequence, no byte
 * {@code F5}..{@code FF}. What is refused is never stored changed, nor read as another id.
 */
final class StrictUtf8 {

    private StrictUtf8() {
    }

    /**
     * {@code bytes} as text.
     *
     * @param what names them in the refusal, e.g. "The request body"
     * @throws ClientError 400 naming the first byte that is not UTF-8
     */
    static String decode(byte[] bytes, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);   // UTF-8 never gives more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw ClientError.badRequest(what + " is not valid UTF-8 (at byte " + (in.position() + 1) + ")");
        }
        return out.flip().toString();
    }

    /**
     * One path segment percent-decoded ({@code +} stays a plus: it is no space in a path), its bytes
     * checked as UTF-8.
     *
     * @param what names it in the refusal, e.g. "The order id"
     * @throws ClientError 400 for a malformed {@code %} or bytes that are not UTF-8
     */
    static String percentDecoded(String segment, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        int i = 0;
        while (i < segment.length()) {
            if (segment.charAt(i) == '%') {
                int high = i + 2 < segment.length() ? hex(segment.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hex(segment.charAt(i + 2));
                if (low < 0) {
                    throw ClientError.badRequest("Malformed percent-encoding in " + what.toLowerCase(Locale.ROOT));
                }
                bytes.write(high << 4 | low);
                i += 3;
            } else {
                int codePoint = segment.codePointAt(i);
                bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return decode(bytes.toByteArray(), what + ", percent-decoded,");
    }

    /** The value of an ASCII hexadecimal digit, else -1 (no other script's digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
