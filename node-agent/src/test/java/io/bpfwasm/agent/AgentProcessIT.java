package io.bpfwasm.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramStatus;
import io.bpfwasm.api.v1alpha1.Labels;
import io.bpfwasm.api.v1alpha1.NodeProgramPhase;
import io.bpfwasm.bpf.KernelObjects;
import io.bpfwasm.runtime.NativeBuild;
import io.bpfwasm.testing.ControlPlaneExtension;
import io.bpfwasm.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent as users run it: {@code java -jar bpfwasm.jar agent ...} as a separate process (the shaded jar that
 * {@code mvn package} builds before failsafe runs). Covers SIGTERM (every guest stopped, every BPF object closed),
 * kill -9 followed by a new agent (re-adoption without duplicates or leaks), and both log formats.
 */
@ExtendWith(ControlPlaneExtension.class)
class AgentProcessIT {
    private static final String NS = "agent-proc-it";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path JAR = Path.of("target", "bpfwasm.jar");
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    private static LocalControlPlane plane;
    private static KubernetesClient client;
    private static Path tmp;
    private static TestRegistry registry;
    private static String ref;
    private static String digest;
    private final List<AgentProcess> agents = new ArrayList<>();

    record AgentProcess(Process process, Path log, int port) {
        String output() throws IOException {
            return Files.readString(log);
        }
    }

    @BeforeAll
    static void setUp(LocalControlPlane controlPlane) throws Exception {
        assertThat(JAR).as("the shaded jar (mvn package runs before the integration tests)").exists();
        plane = controlPlane;
        client = plane.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .serverSideApply();
        tmp = Files.createTempDirectory("bpfwasm-agent-proc-it-");
        Files.createDirectories(tmp.resolve("registry"));
        registry = TestRegistry.start(tmp.resolve("registry"));
        ref = registry.host() + "/probes/execsnoop:proc";
        digest = AgentIT.push(NativeBuild.example("execsnoop"), ref);
    }

    @AfterAll
    static void tearDown() {
        if (registry != null) {
            registry.close();
        }
        TestRegistry.deleteTree(tmp);
    }

    @AfterEach
    void cleanUp() {
        for (AgentProcess agent : agents) {
            agent.process().destroyForcibly();
        }
        // No agent is left to release finalizers: release them the way the operator does for a vanished node.
        for (var a : client.resources(BpfWasmNodeProgram.class).inNamespace(NS).list().getItems()) {
            client.resource(a).delete();
            try {
                client.resources(BpfWasmNodeProgram.class).inNamespace(NS).withName(a.getMetadata().getName())
                        .edit(current -> {
                            current.getMetadata().setFinalizers(new ArrayList<>());
                            return current;
                        });
            } catch (io.fabric8.kubernetes.client.KubernetesClientException gone) {
                // deleted meanwhile
            }
        }
        await().atMost(WAIT).until(() -> client.resources(BpfWasmNodeProgram.class).inNamespace(NS).list()
                .getItems().isEmpty());
    }

    @Test
    void sigtermStopsEveryGuestAndClosesEveryObjectAndKeepsTheFinalizer() throws Exception {
        String node = "proc-node-term";
        AgentProcess agent = startAgent(node, "text");
        var assignment = client.resource(Assignments.of(NS, "execsnoop", node, Assignments.oci(ref, digest),
                List.of("-p", PID))).create();
        var running = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.RUNNING
                && !s.getProgramIds().isEmpty() && !s.getLinkIds().isEmpty());
        await().atMost(WAIT).until(() -> agent.output()
                .contains(NS + "/execsnoop stdout: execsnoop: tracing exec() calls"));
        assertThat(get(agent, "/metrics").body())
                .contains("bpfwasm_program_running{namespace=\"" + NS + "\",program=\"execsnoop\"} 1.0");
        assertThat(get(agent, "/healthz").statusCode()).isEqualTo(200);

        Instant term = Instant.now();
        agent.process().destroy(); // SIGTERM
        assertThat(agent.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.printf("SIGTERM -> agent exited with every guest stopped: %d ms%n",
                Duration.between(term, Instant.now()).toMillis());
        assertThat(agent.output()).contains("node agent stopped: 1 guest(s) stopped, their BPF objects closed");
        AgentIT.awaitGoneFromKernel(running);
        var after = current(assignment);
        assertThat(after.getMetadata().getFinalizers()).containsExactly(Labels.AGENT_FINALIZER);
        // the agent's last report says the program no longer runs (not Running with ids that are gone)
        assertThat(after.getStatus().getPhase()).isEqualTo(NodeProgramPhase.PENDING);
        assertThat(after.getStatus().getProgramIds()).isEmpty();
        assertThat(after.getStatus().getDigest()).isNull();
    }

    @Test
    void afterKillDashNineANewAgentReadoptsWithoutDuplicatesOrLeaks() throws Exception {
        String node = "proc-node-kill";
        AgentProcess first = startAgent(node, "json");
        var assignment = client.resource(Assignments.of(NS, "execsnoop", node, Assignments.oci(ref, digest),
                List.of("-p", PID))).create();
        var before = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.RUNNING
                && !s.getProgramIds().isEmpty() && !s.getLinkIds().isEmpty());
        await().atMost(WAIT).untilAsserted(() -> assertThat(first.output().lines()
                // logback's JSON encoder escapes '/' as '\/'
                .filter(l -> l.contains(NS + "\\/execsnoop stdout: execsnoop: tracing exec() calls")))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}").contains("\"program\"")));

        Instant killed = Instant.now();
        first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        // The links, programs and maps were file descriptors of the dead process: the kernel dropped them.
        AgentIT.awaitGoneFromKernel(before);

        AgentProcess second = startAgent(node, "text");
        var after = awaitStatus(assignment, s -> s.getPhase() == NodeProgramPhase.RUNNING
                && !s.getProgramIds().isEmpty() && !s.getLinkIds().isEmpty()
                && s.getProgramIds().stream().noneMatch(before.getProgramIds()::contains));
        System.out.printf("kill -9 -> new agent running the assignment again: %d ms%n",
                Duration.between(killed, Instant.now()).toMillis());
        assertThat(after.getProgramIds()).hasSameSizeAs(before.getProgramIds());
        assertThat(after.getLinkIds()).hasSameSizeAs(before.getLinkIds());
        assertThat(after.getMapIds()).hasSameSizeAs(before.getMapIds());
        assertThat(KernelObjects.programIds()).containsAll(ints(after.getProgramIds()))
                .doesNotContainAnyElementsOf(ints(before.getProgramIds()));
        assertThat(current(assignment).getMetadata().getFinalizers()).containsExactly(Labels.AGENT_FINALIZER);
        new ProcessBuilder("/bin/true").start().waitFor();
        awaitStatus(assignment, s -> s.getEventsDelivered() >= 1);

        // the new agent also cleans up on delete
        client.resource(assignment).delete();
        await().atMost(WAIT).until(() -> current(assignment) == null);
        AgentIT.awaitGoneFromKernel(after);
        second.process().destroy();
        assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private AgentProcess startAgent(String node, String logFormat) throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = tmp.resolve(node + "-" + agents.size() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-jar", JAR.toString(), "agent",
                "--node-name", node,
                "--kubeconfig", plane.kubeconfig().toString(),
                "--http-address", "127.0.0.1:" + port,
                "--cache-dir", tmp.resolve("cache-" + node).toString(),
                "--insecure-registry", registry.host(),
                "--log-format", logFormat,
                "--status-interval", "200ms")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        var agent = new AgentProcess(process, log, port);
        agents.add(agent);
        await("agent " + node + " ready").atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("agent exited: " + agent.output());
                    }
                    return get(agent, "/readyz").statusCode() == 200;
                });
        return agent;
    }

    private static HttpResponse<String> get(AgentProcess agent, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + agent.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static BpfWasmNodeProgramStatus awaitStatus(BpfWasmNodeProgram assignment,
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

    private static Set<Integer> ints(List<Long> ids) {
        return ids.stream().map(Long::intValue).collect(Collectors.toSet());
    }
}
