package io.bpfwasm.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.bpfwasm.agent.source.Digests;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramStatus;
import io.bpfwasm.api.v1alpha1.Labels;
import io.bpfwasm.api.v1alpha1.Limits;
import io.bpfwasm.api.v1alpha1.ModuleSource;
import io.bpfwasm.api.v1alpha1.NodeProgramPhase;
import io.bpfwasm.bpf.KernelObjects;
import io.bpfwasm.cli.BpfwasmCommand;
import io.bpfwasm.runtime.NativeBuild;
import io.bpfwasm.testing.ControlPlaneExtension;
import io.bpfwasm.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The agent against a real apiserver, a real OCI registry, a local HTTPS server and the real kernel. Each test runs
 * its own agent for its own node name; assignments are written the way the operator writes them.
 */
@ExtendWith(ControlPlaneExtension.class)
class AgentIT {
    private static final String NS = "agent-it";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    private static KubernetesClient client;
    private static Path tmp;
    private static TestRegistry registry;
    private static HttpsServer httpsServer;
    private static Path caFile;
    private static byte[] execsnoop;
    private static String execsnoopDigest;
    private static String execsnoopRef;

    private String node;
    private NodeAgent agent;
    private PrometheusMeterRegistry meters;
    private AgentHttpServer http;

    @BeforeAll
    static void setUp(LocalControlPlane plane) throws Exception {
        client = plane.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .serverSideApply();
        tmp = Files.createTempDirectory("bpfwasm-agent-it-");
        Files.createDirectories(tmp.resolve("registry"));
        registry = TestRegistry.start(tmp.resolve("registry"));
        Path module = NativeBuild.example("execsnoop");
        execsnoop = Files.readAllBytes(module);
        execsnoopRef = registry.host() + "/probes/execsnoop:1.0";
        execsnoopDigest = push(module, execsnoopRef);
        startHttps();
    }

    @AfterAll
    static void tearDown() {
        if (httpsServer != null) {
            httpsServer.stop(0);
        }
        if (registry != null) {
            registry.close();
        }
        TestRegistry.deleteTree(tmp);
    }

    @BeforeEach
    void startAgent(TestInfo test) throws Exception {
        node = "node-" + test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT);
        var settings = AgentSettings.defaults(node, tmp.resolve("cache-" + node))
                .withInsecureRegistries(Set.of(registry.host()))
                .withCaFile(caFile)
                .withTimings(Duration.ofMillis(200), Duration.ofMillis(500),
                        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(3)), Duration.ofMinutes(5));
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        agent = new NodeAgent(client, settings, meters);
        agent.start();
        http = new AgentHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), meters, agent::isAlive,
                agent::isReady);
    }

    @AfterEach
    void stopAgent() {
        // The running agent releases its finalizers; then nothing of this test is left in the apiserver.
        String label = Labels.valueFor(node);
        client.resources(BpfWasmNodeProgram.class).inNamespace(NS).withLabel(Labels.NODE, label).delete();
        await("assignments of " + node + " gone").atMost(WAIT).until(() -> client.resources(BpfWasmNodeProgram.class)
                .inNamespace(NS).withLabel(Labels.NODE, label).list().getItems().isEmpty());
        agent.close();
        http.close();
    }

    @Test
    void ociModuleRunsReportsIdsAndEventsAndLeavesNothingAfterDelete() throws Exception {
        var guestLines = new ListAppender<ILoggingEvent>();
        guestLines.start();
        var guestLogger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.bpfwasm.agent.guest");
        guestLogger.addAppender(guestLines);
        try {
            Instant applied = Instant.now();
            var assignment = client.resource(Assignments.of(NS, "execsnoop", node,
                    Assignments.oci(execsnoopRef, execsnoopDigest), List.of("-p", PID))).create();
            BpfWasmNodeProgramStatus running = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.RUNNING
                    && !s.getProgramIds().isEmpty() && !s.getLinkIds().isEmpty() && !s.getMapIds().isEmpty());
            System.out.printf("apply -> Running with ids in status: %d ms%n",
                    Duration.between(applied, Instant.now()).toMillis());

            assertThat(running.getDigest()).isEqualTo(execsnoopDigest);
            assertThat(running.getObservedGeneration()).isEqualTo(1L);
            assertThat(running.getStartedAt()).isNotNull();
            assertThat(running.getLastError()).isNull();
            assertThat(current(assignment).getMetadata().getFinalizers()).containsExactly(Labels.AGENT_FINALIZER);
            assertThat(KernelObjects.programIds()).containsAll(ints(running.getProgramIds()));
            assertThat(KernelObjects.linkIds()).containsAll(ints(running.getLinkIds()));
            assertThat(KernelObjects.mapIds()).containsAll(ints(running.getMapIds()));

            for (int i = 0; i < 5; i++) {
                new ProcessBuilder("/bin/true").start().waitFor();
            }
            awaitStatus(assignment, s -> s.getEventsDelivered() >= 5);
            await().atMost(WAIT).untilAsserted(() -> assertThat(guestLines.list).anySatisfy(e -> {
                assertThat(e.getFormattedMessage()).isEqualTo(NS + "/execsnoop stdout: execsnoop: tracing exec() calls");
                assertThat(e.getKeyValuePairs()).anySatisfy(kv -> {
                    assertThat(kv.key).isEqualTo("program");
                    assertThat(kv.value).isEqualTo(NS + "/execsnoop");
                });
            }));
            assertThat(guestLines.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("exec pid=")
                    .contains("filename=/bin/true"));

            String metrics = get("/metrics").body();
            assertThat(metrics).containsPattern(
                    "bpfwasm_program_events_delivered_total\\{namespace=\"agent-it\",program=\"execsnoop\"} ([5-9]|[1-9][0-9]+)\\.0");
            assertThat(metrics).contains("bpfwasm_program_restarts_total{namespace=\"agent-it\",program=\"execsnoop\"} 0.0");
            assertThat(metrics).contains("bpfwasm_program_callback_seconds_count{namespace=\"agent-it\"");
            assertThat(metrics).contains("bpfwasm_program_guest_cpu_seconds_total{namespace=\"agent-it\"");
            assertThat(get("/healthz").statusCode()).isEqualTo(200);
            assertThat(get("/readyz").statusCode()).isEqualTo(200);

            Instant deleted = Instant.now();
            client.resource(assignment).delete();
            await("assignment gone").atMost(WAIT).until(() -> current(assignment) == null);
            System.out.printf("delete -> finalizer released and object gone: %d ms%n",
                    Duration.between(deleted, Instant.now()).toMillis());
            awaitGoneFromKernel(running);
            assertThat(get("/metrics").body()).doesNotContain("program=\"execsnoop\"");
        } finally {
            guestLogger.detachAppender(guestLines);
        }
    }

    @Test
    void wrongDigestRunsNothingAndSaysSo() throws Exception {
        String other = Digests.sha256(Files.readAllBytes(NativeBuild.testGuest("guest_trap")));
        var viaOci = client.resource(Assignments.of(NS, "wrong-oci", node,
                Assignments.oci(execsnoopRef, other), List.of())).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("wrong-cm")
                .endMetadata().addToBinaryData("module.wasm", Base64.getEncoder().encodeToString(execsnoop)).build())
                .serverSideApply();
        var viaConfigMap = client.resource(Assignments.of(NS, "wrong-cm", node,
                Assignments.configMap("wrong-cm", "module.wasm", other), List.of())).create();

        for (var assignment : List.of(viaOci, viaConfigMap)) {
            var failed = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.FAILED && s.getLastError() != null);
            assertThat(failed.getLastError().getMessage()).contains("digest mismatch").contains(other)
                    .contains(execsnoopDigest).contains("refusing to run it");
            assertThat(failed.getProgramIds()).isEmpty();
            assertThat(failed.getDigest()).isNull();
            assertThat(agent.kernelIds(assignment.getMetadata().getUid())).isEmpty();
        }
        Path cache = tmp.resolve("cache-" + node);
        if (Files.exists(cache)) {
            try (var files = Files.list(cache)) {
                assertThat(files.filter(p -> !p.getFileName().toString().startsWith("."))).isEmpty();
            }
        }
    }

    @Test
    void unreachableRegistryIsRetriedWithBackoffAndReported() throws Exception {
        registry.stop();
        try {
            var assignment = client.resource(Assignments.of(NS, "execsnoop", node,
                    Assignments.oci(execsnoopRef, execsnoopDigest), List.of("-p", PID))).create();
            // reports are coalesced (rate limit), so wait for any report of the second or a later failure
            var failed = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.FAILED && s.getLastError() != null
                    && s.getLastError().getMessage().matches(".*\\(failure ([2-9]|[1-9][0-9]+) in a row.*"));
            assertThat(failed.getLastError().getMessage()).contains("oci " + execsnoopRef).contains("unreachable");
            registry.start();
            var running = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.RUNNING
                    && !s.getProgramIds().isEmpty());
            assertThat(running.getDigest()).isEqualTo(execsnoopDigest);
            assertThat(running.getRestarts()).isZero(); // fetch retries are not guest restarts
        } finally {
            if (!registryUp()) {
                registry.start();
            }
        }
    }

    @Test
    void capabilitiesOfTheResourceDenyAnAttachOutsideThem() {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("denied-module")
                .endMetadata().addToBinaryData("execsnoop.wasm", Base64.getEncoder().encodeToString(execsnoop)).build())
                .serverSideApply();
        var denied = Assignments.of(NS, "denied", node,
                Assignments.configMap("denied-module", "execsnoop.wasm", execsnoopDigest), List.of("-p", PID));
        var capabilities = new io.bpfwasm.api.v1alpha1.Capabilities();
        capabilities.setProgramTypes(List.of("xdp")); // execsnoop attaches a tracepoint
        denied.getSpec().setCapabilities(capabilities);
        var assignment = client.resource(denied).create();
        var failed = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.FAILED && s.getLastError() != null);
        assertThat(failed.getLastError().getMessage())
                .contains("attach denied by the policy").contains("tracepoint");
        assertThat(failed.getProgramIds()).isEmpty();
    }

    @Test
    void configMapSourceRuns() {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("execsnoop-module")
                .endMetadata().addToBinaryData("execsnoop.wasm", Base64.getEncoder().encodeToString(execsnoop)).build())
                .serverSideApply();
        var assignment = client.resource(Assignments.of(NS, "execsnoop", node,
                Assignments.configMap("execsnoop-module", "execsnoop.wasm", execsnoopDigest), List.of("-p", PID)))
                .create();
        var running = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.RUNNING
                && !s.getProgramIds().isEmpty());
        assertThat(running.getDigest()).isEqualTo(execsnoopDigest);
        assertThat(KernelObjects.programIds()).containsAll(ints(running.getProgramIds()));
    }

    @Test
    void httpsSourceRuns() {
        String url = "https://localhost:" + httpsServer.getAddress().getPort() + "/modules/execsnoop.wasm";
        var assignment = client.resource(Assignments.of(NS, "execsnoop", node,
                Assignments.https(url, execsnoopDigest), List.of("-p", PID))).create();
        var running = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.RUNNING
                && !s.getProgramIds().isEmpty());
        assertThat(running.getDigest()).isEqualTo(execsnoopDigest);

        // another digest: a module with the same digest would come from the cache without asking the server
        String otherDigest = Digests.sha256("not served".getBytes(StandardCharsets.UTF_8));
        var missing = client.resource(Assignments.of(NS, "missing", node,
                Assignments.https(url.replace("execsnoop.wasm", "nope.wasm"), otherDigest), List.of())).create();
        var failed = awaitStatus(missing, s -> s.getPhase() == NodeProgramPhase.FAILED && s.getLastError() != null);
        assertThat(failed.getLastError().getMessage()).contains("HTTP 404");
    }

    @Test
    void specChangeReplacesTheRunningInstance() {
        var assignment = client.resource(Assignments.of(NS, "execsnoop", node,
                Assignments.oci(execsnoopRef, execsnoopDigest), List.of("-p", PID))).create();
        var first = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.RUNNING
                && !s.getProgramIds().isEmpty() && !s.getLinkIds().isEmpty());

        Instant changed = Instant.now();
        client.resource(current(assignment)).edit(a -> {
            a.getSpec().setArgs(List.of("-p", "1"));
            return a;
        });
        var second = awaitStatus(assignment, s -> s.getObservedGeneration() == 2L
                && s.getPhase() == NodeProgramPhase.RUNNING && !s.getProgramIds().isEmpty()
                && !s.getLinkIds().isEmpty());
        System.out.printf("spec change -> new instance Running with ids: %d ms%n",
                Duration.between(changed, Instant.now()).toMillis());
        assertThat(second.getProgramIds()).doesNotContainAnyElementsOf(first.getProgramIds());
        awaitGoneFromKernel(first);
        assertThat(KernelObjects.programIds()).containsAll(ints(second.getProgramIds()));
        assertThat(second.getRestarts()).isZero();
    }

    @Test
    void trappingGuestIsRestartedWithBackoffAndReportedFailed() throws Exception {
        var module = moduleInConfigMap("trap", "guest_trap");
        Instant applied = Instant.now();
        var assignment = client.resource(Assignments.of(NS, "trap", node, module, List.of())).create();
        var failed = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.FAILED && s.getRestarts() >= 3);
        Duration elapsed = Duration.between(applied, Instant.now());
        assertThat(failed.getLastError().getMessage()).contains("guest trapped");
        assertThat(failed.getLastError().getTime()).isNotNull();
        // restarts count ended guests; before the third ended, the agent waited 200 ms and 400 ms
        assertThat(elapsed).isGreaterThan(Duration.ofMillis(600));
        var retry = java.util.regex.Pattern.compile("failure (\\d+) in a row; retrying in (\\d+) ms")
                .matcher(failed.getLastError().getMessage());
        assertThat(retry.find()).as(failed.getLastError().getMessage()).isTrue();
        int failures = Integer.parseInt(retry.group(1));
        long expectedWait = Math.min(200L << (failures - 1), 3000L); // doubling from 200 ms, capped at 3 s
        assertThat(Long.parseLong(retry.group(2))).isEqualTo(expectedWait);
        assertThat(get("/metrics").body()).containsPattern(
                "bpfwasm_program_restarts_total\\{namespace=\"agent-it\",program=\"trap\"} [3-9]");
    }

    @Test
    void aGuestPastItsCpuGuardIsStoppedRestartedAndReportedFailed() throws Exception {
        var busy = Assignments.of(NS, "busy", node, moduleInConfigMap("busy", "guest_busy"), List.of("spin"));
        var limits = new Limits();
        limits.setCpuGuard("300ms");
        busy.getSpec().setLimits(limits);
        var assignment = client.resource(busy).create();
        var failed = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.FAILED && s.getRestarts() >= 2);
        assertThat(failed.getLastError().getMessage())
                .contains("guest stopped by its CPU guard: ran longer than 300ms without returning to the host");
    }

    // --- helpers

    /** Puts the test guest's module into ConfigMap {@code <name>-module} (key {@code <name>.wasm}); its source. */
    private ModuleSource moduleInConfigMap(String name, String guest) throws IOException {
        byte[] wasm = Files.readAllBytes(NativeBuild.testGuest(guest));
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName(name + "-module").endMetadata()
                .addToBinaryData(name + ".wasm", Base64.getEncoder().encodeToString(wasm)).build())
                .serverSideApply();
        return Assignments.configMap(name + "-module", name + ".wasm", Digests.sha256(wasm));
    }

    /** The kernel frees programs and maps asynchronously (RCU, work queues) after their last fd closes. */
    static void awaitGoneFromKernel(BpfWasmNodeProgramStatus ran) {
        await("ids of the stopped guest gone from the kernel").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(KernelObjects.linkIds()).as("link ids").doesNotContainAnyElementsOf(ints(ran.getLinkIds()));
            assertThat(KernelObjects.programIds()).as("program ids")
                    .doesNotContainAnyElementsOf(ints(ran.getProgramIds()));
            assertThat(KernelObjects.mapIds()).as("map ids").doesNotContainAnyElementsOf(ints(ran.getMapIds()));
        });
    }

    private BpfWasmNodeProgramStatus awaitStatus(BpfWasmNodeProgram assignment,
                                                 Predicate<BpfWasmNodeProgramStatus> condition) {
        return await("status of " + assignment.getMetadata().getName()).atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    var now = current(assignment);
                    return now == null ? null : now.getStatus();
                }, s -> s != null && s.getPhase() != null && condition.test(s));
    }

    private static BpfWasmNodeProgram current(BpfWasmNodeProgram assignment) {
        return client.resources(BpfWasmNodeProgram.class).inNamespace(NS)
                .withName(assignment.getMetadata().getName()).get();
    }

    private HttpResponse<String> get(String path) throws Exception {
        var address = http.address();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + address.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Set<Integer> ints(List<Long> ids) {
        return ids.stream().map(Long::intValue).collect(Collectors.toSet());
    }

    private static boolean registryUp() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry.host()
                    + "/v2/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    static String push(Path module, String reference) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = BpfwasmCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute("push", module.toString(), reference,
                "--insecure");
        assertThat(code).as("bpfwasm push: %s", err).isZero();
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    /** A local HTTPS server with a certificate made by keytool for this run; the agent trusts it via caFile. */
    private static void startHttps() throws Exception {
        Path keystore = tmp.resolve("https.p12");
        caFile = tmp.resolve("https-ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", caFile.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(keys.getKeyManagers(), null, null);
        httpsServer = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        httpsServer.setHttpsConfigurator(new HttpsConfigurator(ssl));
        httpsServer.createContext("/modules/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().endsWith("/execsnoop.wasm") ? execsnoop : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        httpsServer.start();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), output).isZero();
    }
}
