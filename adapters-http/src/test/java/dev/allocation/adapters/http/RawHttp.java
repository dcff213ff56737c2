package dev.allocation.adapters.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 spoken by hand on a plain socket, so that a test can send what no well-behaved client sends
 * (lies about lengths, bad chunks, trickled bytes) and see exactly what comes back, and when.
 */
final class RawHttp implements AutoCloseable {

    /**
     * What came back: the status (-1 when the connection ended without a response), the head and body as
     * text, whether the server then closed the connection, and how long it took.
     */
    record Answer(int status, String head, String body, boolean closed, Duration took) {

        String header(String name) {
            Matcher value = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\r?$").matcher(head);
            return value.find() ? value.group(1) : null;
        }
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

    private final Socket socket;

    RawHttp(int port, Duration readTimeout) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) readTimeout.toMillis());
    }

    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Writes the bytes. A server may answer and close before it read them all (a request over a limit):
     * then the write fails with a broken pipe or a reset, and the answer, already sent, is still read by
     * {@link #answer()}, as a real client would.
     */
    RawHttp send(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        try {
            out.write(bytes);
            out.flush();
        } catch (SocketException e) {
            // the server stopped reading: what it answered is read next
        }
        return this;
    }

    /** Reads one response (its body by Content-Length, else to the end of the connection). */
    Answer answer() throws IOException {
        long began = System.nanoTime();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    return new Answer(-1, head.toString(StandardCharsets.ISO_8859_1), "", true, since(began));
                }
                head.write(c);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {   // reset
            return new Answer(-1, head.toString(StandardCharsets.ISO_8859_1), "", true, since(began));
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(text.substring(9, 12));
        Matcher length = CONTENT_LENGTH.matcher(text);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : in.readAllBytes();
        boolean closed = text.toLowerCase(Locale.ROOT).contains("connection: close");
        return new Answer(status, text, new String(body, StandardCharsets.UTF_8), closed, since(began));
    }

    /** Whether the server closed the connection: reads until the end (true) or the read timeout (false). */
    boolean closedByServer() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // reset: closed too
        }
    }

    /**
     * A slow client on every socket: one byte {@code every} so long on each, never silent long enough to
     * be closed, until {@code trickling} turns false. A socket the server closed is one slow client less.
     */
    static void trickle(List<Socket> sockets, AtomicBoolean trickling, Duration every) {
        while (trickling.get()) {
            for (Socket socket : sockets) {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write('x');
                    out.flush();
                } catch (IOException e) {
                    // closed by the server
                }
            }
            for (long slept = 0; slept < every.toMillis() && trickling.get(); slept += 100) {
                try {
                    Thread.sleep(Math.min(100, every.toMillis() - slept));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static Duration since(long began) {
        return Duration.ofNanos(System.nanoTime() - began);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
