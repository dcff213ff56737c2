package dev.allocation.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.allocation.testing.ApiClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service under a low open-files limit ({@code ulimit -n}), against more idle connections than the
 * limit: it holds no more connections than it has files for, sheds the idle ones, and keeps answering.
 */
@Timeout(180)
class OpenFilesIT {

    private static final int OPEN_FILES = 256;
    /** Rounds of the listeners' short idle timeout at their limits take seconds; one usual idle timeout is 10 s. */
    private static final int PROBE_TIMEOUT_MS = 30_000;

    @Test
    void more_idle_connections_than_open_files_leave_probes_and_commands_answered_and_no_file_lacking(
            @TempDir Path data) throws Exception {
        try (ServiceProcess service = ServiceProcess.startWithOpenFiles("open-files", OPEN_FILES,
                List.of("--data-dir", data.toString()), Map.of())) {
            assertThat(new ApiClient(service.port()).addBatch("b1", "LAMP", 1_000, null).statusCode()).isEqualTo(201);
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < OPEN_FILES + 50; i++) {
                    idle.add(new Socket("127.0.0.1", service.port()));
                }
                // more than the admin listener takes under this limit: those it cannot take wait in the backlog,
                // ahead of the probe, and are let in as it closes idle ones (a round per short idle timeout)
                for (int i = 0; i < 50; i++) {
                    idle.add(new Socket("127.0.0.1", service.adminPort()));
                }

                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    statuses.add(probe(service.port(), "GET /health/live", ""));
                    statuses.add(probe(service.port(), "POST /allocate",
                            "{\"orderid\": \"o" + i + "\", \"sku\": \"LAMP\", \"qty\": 1}"));
                }
                int admin = probe(service.adminPort(), "GET /outbox", "");

                assertThat(statuses).containsExactly(200, 202, 200, 202, 200, 202, 200, 202, 200, 202);
                assertThat(admin).isEqualTo(200);
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
            assertThat(new ApiClient(service.port()).allocations("o4").statusCode()).isEqualTo(200);
            assertThat(service.logLines(line -> line.contains("Too many open files"))).as(service.tail(20)).isEmpty();
        }
    }

    /** One request on a connection of its own, as a load balancer's probe: its status, -1 when none came. */
    private static int probe(int port, String requestLine, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(PROBE_TIMEOUT_MS);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream statusLine = new ByteArrayOutputStream();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                statusLine.write(c);
            }
            String line = statusLine.toString(StandardCharsets.US_ASCII);
            return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
