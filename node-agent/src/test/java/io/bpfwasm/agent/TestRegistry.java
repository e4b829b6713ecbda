package io.bpfwasm.agent;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1 over plain HTTP, storing into a
 * temporary directory. {@link #stop()} and {@link #start()} keep the port and the stored artifacts, so tests can take
 * the registry down and bring it back.
 */
final class TestRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private final Path dir;
    private final int port;
    private Process process;

    private TestRegistry(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static TestRegistry start(Path dir) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install the docker-registry package (scripts/setup)");
        }
        int port;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var registry = new TestRegistry(dir, port);
        Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log: {level: warn}
                storage: {filesystem: {rootdirectory: %s}, delete: {enabled: true}}
                http: {addr: 127.0.0.1:%d, secret: bpfwasm-test}
                """.formatted(dir.resolve("data"), port));
        registry.start();
        return registry;
    }

    /** host:port */
    String host() {
        return "127.0.0.1:" + port;
    }

    void start() throws IOException {
        process = new ProcessBuilder(BINARY.toString(), "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "test-registry-stop"));
        HttpClient http = HttpClient.newHttpClient();
        await("registry on " + host()).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
                    }
                    return http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
