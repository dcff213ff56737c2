package dev.allocation.benchmarks;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Scenario 5's client of the HTTP API: one keep-alive HTTP/1.1 connection on loopback, each request
 * written in one write and its answer read by its {@code Content-Length}, on the caller's thread. It does
 * no more than a load generator must (wrk, or pgbench for the floor), so that the two cores it shares
 * with the service go to the service. Not a general client: it expects the API's own answers, which
 * always carry a length, and fails on anything else.
 */
final class KeepAliveClient implements AutoCloseable {

    private static final int TIMEOUT_MS = 30_000;

    private final InetSocketAddress address;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    KeepAliveClient(int port) {
        this.address = new InetSocketAddress("127.0.0.1", port);
    }

    /** {@code POST target} with a JSON {@code body}: the answer's status, its body in {@code answer}. */
    int post(String target, String body, StringBuilder answer) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return exchange(head, content, answer);
    }

    /** {@code GET target}: the answer's status, its body in {@code answer}. */
    int get(String target, StringBuilder answer) throws IOException {
        return exchange(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                new byte[0], answer);
    }

    private int exchange(byte[] head, byte[] content, StringBuilder answer) throws IOException {
        if (socket == null) {
            connect();
        }
        byte[] request = new byte[head.length + content.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(content, 0, request, head.length, content.length);
        out.write(request);
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("Not an HTTP/1.1 answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).trim());
            } else if (header.regionMatches(true, 0, "Connection:", 0, 11)) {
                close = header.substring(11).trim().equalsIgnoreCase("close");
            }
        }
        if (length < 0 && status != 204) {
            throw new IOException("An answer without Content-Length: " + statusLine);
        }
        answer.setLength(0);
        answer.append(new String(in.readNBytes(Math.max(length, 0)), StandardCharsets.UTF_8));
        if (close) {
            close();
        }
        return status;
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 8192);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("The connection closed in the middle of an answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            Socket closing = socket;
            socket = null;
            closing.close();
        }
    }
}
