package io.bpfwasm.e2e;

import io.bpfwasm.testing.LocalControlPlane;
import io.bpfwasm.testing.LoopbackPorts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole bpfwasm system on this machine, as real processes bound to 127.0.0.1: etcd, kube-apiserver and
 * kube-controller-manager ({@link LocalControlPlane}), the CRDs applied with kubectl, an OCI registry
 * (docker-registry), one Node object per simulated node, the operator, and one node agent per node. The demo
 * (scripts/demo, through {@link LocalClusterMain}) and the end-to-end tests both start the system through this class.
 *
 * <p>All agents share this machine's kernel; each loads its own copy of the programs assigned to its node. Logs go to
 * files under the work directory, which outlives {@link #close()} so a failure can be read afterwards.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  /** A Node object to create and the agent that acts as its kubelet-side half. */
  public record NodeSpec(String name, Map<String, String> labels) {
    public NodeSpec {
      labels = Map.copyOf(labels);
    }
  }

  /** A module pushed to the registry: where to find it and the sha256 of its bytes. */
  public record PushedModule(String reference, String digest) {}

  private final Path root;
  private final Path workDir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, ClusterProcess> agents = new LinkedHashMap<>();
  private final Map<String, Integer> agentPorts = new LinkedHashMap<>();
  private final List<ClusterProcess> others = new ArrayList<>();
  // Stops everything when the JVM exits without close() (Ctrl-C, SIGTERM, a test run killed).
  private final Thread shutdownHook = new Thread(this::stopAll, "local-cluster-shutdown");
  private LocalControlPlane plane;
  private String registry;

  private LocalCluster(Path root, Path workDir) {
    this.root = root;
    this.workDir = workDir;
  }

  /**
   * Starts everything and returns once the operator and every agent report ready.
   *
   * @param root the repository checkout (crds/generated, operator/target, node-agent/target)
   * @param workDir where logs, the registry's storage and the agents' module caches go
   */
  public static LocalCluster start(Path root, Path workDir, List<NodeSpec> nodes) {
    requireFile(root.resolve("crds/generated/bpfwasmprograms.bpfwasm.io.yaml"), "the checked-in CRD YAML");
    requireFile(agentJar(root), "the node agent jar (mvn package)");
    requireFile(operatorJar(root), "the operator jar (mvn package)");
    requireFile(Path.of("/usr/bin/docker-registry"), "the OCI registry (apt-get install docker-registry)");
    LocalCluster cluster;
    try {
      Files.createDirectories(workDir);
      cluster = new LocalCluster(root, workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("local cluster: cannot create " + workDir, e);
    }
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      cluster.startAll(nodes);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void startAll(List<NodeSpec> nodes) {
    Instant begin = Instant.now();
    log.info("starting the control plane (etcd, kube-apiserver, kube-controller-manager)");
    plane = LocalControlPlane.start();
    plane.startControllerManager();
    log.info("applying the CRDs from crds/generated/");
    kubectlOrThrow("apply", "-f", root.resolve("crds/generated").toString());
    kubectlOrThrow("wait", "--for=condition=Established", "--timeout=60s",
        "crd/bpfwasmprograms.bpfwasm.io", "crd/bpfwasmnodeprograms.bpfwasm.io");
    startRegistry();
    for (NodeSpec node : nodes) {
      createNode(node);
    }
    int operatorPort = LoopbackPorts.free();
    log.info("starting the operator");
    ClusterProcess operator = ClusterProcess.start("operator", List.of(java(), "-XX:+UseSerialGC", "-Xmx256m",
        "-jar", operatorJar(root).toString(), "--kubeconfig", kubeconfig().toString(),
        "--http-address", "127.0.0.1:" + operatorPort, "--no-leader-election"), workDir.resolve("operator.log"));
    others.add(operator);
    for (NodeSpec node : nodes) {
      startAgent(node.name());
    }
    awaitReady(operator, operatorPort);
    for (String node : agents.keySet()) {
      awaitAgentReady(node);
    }
    log.info("local cluster ready in {} ms: {} node(s) {}, registry {}, logs in {}",
        Duration.between(begin, Instant.now()).toMillis(), nodes.size(), agents.keySet(), registry, workDir);
  }

  private void startRegistry() {
    int port = LoopbackPorts.free();
    registry = "127.0.0.1:" + port;
    Path config = workDir.resolve("registry.yml");
    try {
      Files.writeString(config, """
          version: 0.1
          log: {level: warn}
          storage: {filesystem: {rootdirectory: %s}, delete: {enabled: true}}
          http: {addr: %s, secret: local-cluster}
          """.formatted(workDir.resolve("registry"), registry));
    } catch (IOException e) {
      throw new UncheckedIOException("registry: cannot write " + config, e);
    }
    log.info("starting the OCI registry on {}", registry);
    ClusterProcess process = ClusterProcess.start("registry", List.of("/usr/bin/docker-registry", "serve",
        config.toString()), workDir.resolve("registry.log"));
    others.add(process);
    awaitHttp(process, URI.create("http://" + registry + "/v2/"));
  }

  private void createNode(NodeSpec spec) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", spec.name());
    labels.put("kubernetes.io/os", "linux");
    labels.putAll(spec.labels());
    Node node = new NodeBuilder().withNewMetadata().withName(spec.name()).withLabels(labels).endMetadata().build();
    client().nodes().resource(node).create();
    log.info("created Node {} with labels {}", spec.name(), labels);
  }

  private void startAgent(String node) {
    int port = LoopbackPorts.free();
    Path dir = workDir.resolve("agent-" + node);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("agent " + node + ": cannot create " + dir, e);
    }
    log.info("starting the node agent for Node {}", node);
    ClusterProcess agent = ClusterProcess.start("agent " + node, List.of(java(),
        "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m", "-jar", agentJar(root).toString(),
        "agent", "--node-name", node, "--kubeconfig", kubeconfig().toString(),
        "--http-address", "127.0.0.1:" + port, "--cache-dir", dir.resolve("modules").toString(),
        "--insecure-registry", registry), dir.resolve("agent.log"));
    agents.put(node, agent);
    agentPorts.put(node, port);
  }

  /** Waits until the agent of {@code node} answers /readyz (it has listed its assignments). */
  public void awaitAgentReady(String node) {
    awaitReady(agent(node), agentPorts.get(node));
  }

  private void awaitReady(ClusterProcess process, int port) {
    awaitHttp(process, URI.create("http://127.0.0.1:" + port + "/readyz"));
  }

  private void awaitHttp(ClusterProcess process, URI uri) {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    String last = "no answer yet";
    while (Instant.now().isBefore(deadline)) {
      process.checkAlive();
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = "HTTP " + response.statusCode();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + process.name(), e);
      }
      sleep(100);
    }
    throw new IllegalStateException(process.name() + " not ready at " + uri + " after " + READY_TIMEOUT.toSeconds()
        + " s (" + last + "); last log lines (" + process.log() + "):\n" + process.tail(40));
  }

  /**
   * Pushes {@code wasm} to this cluster's registry as {@code <registry>/bpfwasm/<repository>:<tag>} with
   * {@code bpfwasm push}, which prints the module's digest.
   */
  public PushedModule push(Path wasm, String repository, String tag) {
    String reference = registry + "/bpfwasm/" + repository + ":" + tag;
    CommandResult result = Commands.run(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
        "-jar", agentJar(root).toString(), "push", wasm.toString(), reference, "--insecure"), b -> {}, 120);
    if (!result.succeeded()) {
      throw new IllegalStateException("pushing " + wasm + ": " + result.describe());
    }
    String digest = result.stdout().strip();
    log.info("pushed {} as {} ({})", wasm.getFileName(), reference, digest);
    return new PushedModule(reference, digest);
  }

  /** Runs kubectl with this cluster's kubeconfig. */
  public CommandResult kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(plane.binaries().path("kubectl").toString());
    command.add("--kubeconfig=" + kubeconfig());
    command.addAll(List.of(args));
    return Commands.run(command, b -> {}, 180);
  }

  /** Runs kubectl and feeds {@code stdin} to it (e.g. a manifest for {@code apply -f -}). */
  public CommandResult kubectlWithInput(String stdin, String... args) {
    try {
      Path input = Files.createTempFile(workDir, "kubectl-", ".yaml");
      try {
        Files.writeString(input, stdin);
        List<String> command = new ArrayList<>();
        command.add(plane.binaries().path("kubectl").toString());
        command.add("--kubeconfig=" + kubeconfig());
        command.addAll(List.of(args));
        return Commands.run(command, b -> b.redirectInput(input.toFile()), 180);
      } finally {
        Files.deleteIfExists(input);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("kubectl input", e);
    }
  }

  private void kubectlOrThrow(String... args) {
    CommandResult result = kubectl(args);
    if (!result.succeeded()) {
      throw new IllegalStateException(result.describe());
    }
  }

  /** The running agent of {@code node}. */
  public ClusterProcess agent(String node) {
    ClusterProcess agent = agents.get(node);
    if (agent == null) {
      throw new IllegalArgumentException("no agent for node " + node + "; nodes: " + agents.keySet());
    }
    return agent;
  }

  /** Starts the agent of {@code node} again (after {@link ClusterProcess#kill()} or to restart it) and waits. */
  public ClusterProcess restartAgent(String node) {
    ClusterProcess restarted = agent(node).restart();
    agents.put(node, restarted);
    awaitAgentReady(node);
    return restarted;
  }

  public ClusterProcess operator() {
    return others.stream().filter(p -> p.name().equals("operator")).findFirst().orElseThrow();
  }

  public KubernetesClient client() {
    return plane.client();
  }

  public Path kubeconfig() {
    return plane.kubeconfig();
  }

  /** host:port of the OCI registry (plain HTTP). */
  public String registry() {
    return registry;
  }

  public Path workDir() {
    return workDir;
  }

  public List<String> nodes() {
    return List.copyOf(agents.keySet());
  }

  /** Stops the agents (each closes its BPF objects), the operator, the registry, then the control plane. */
  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run
    }
  }

  private synchronized void stopAll() {
    if (!agents.isEmpty()) {
      log.info("stopping {} agent(s); each detaches and unloads its programs", agents.size());
      // In parallel: each agent may take a few seconds to stop its guests.
      agents.values().parallelStream().forEach(ClusterProcess::close);
      agents.clear();
    }
    for (int i = others.size() - 1; i >= 0; i--) {
      others.get(i).close();
    }
    others.clear();
    if (plane != null) {
      plane.close();
      plane = null;
      log.info("local cluster stopped; logs kept in {}", workDir);
    }
  }

  static Path agentJar(Path root) {
    return root.resolve("node-agent/target/bpfwasm.jar");
  }

  static Path operatorJar(Path root) {
    return root.resolve("operator/target/bpfwasm-operator.jar");
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void requireFile(Path file, String what) {
    if (!Files.exists(file)) {
      throw new IllegalStateException("local cluster: " + file + " is missing: " + what);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
