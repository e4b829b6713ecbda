package io.bpfwasm.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.Conditions;
import io.bpfwasm.operator.OperatorClients;
import io.bpfwasm.operator.TestResources;
import io.bpfwasm.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Operator scale benchmark (not part of `mvn verify`): N Node objects x M programs on a real apiserver, simulated
 * agents answering every assignment with a Running status patch, and the packaged operator jar as its own process
 * with its image's JVM options and -Xmx512m. Everything shares this machine's cores, so it also prints the CPU each
 * process used (and the CPU the hypervisor took), and the apiserver's request counts. Measures the time from creating
 * the programs until all are Ready, and the operator's heap. The operator is warmed up first (see {@link #warmUp});
 * {@code -Dbench.warmupPrograms=0} measures a freshly started one.
 *
 * <pre>
 * mvn -B -o verify -pl crds,operator -Dit.test=OperatorScaleBenchmark -Dtest=NONE \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
 *     [-Dbench.nodes=500] [-Dbench.programs=20] [-Dbench.warmupPrograms=4] [-Dbench.limitSeconds=600]
 *     [-Dbench.operatorJvmOptions="-XX:TieredStopAtLevel=4"] [-Dbpfwasm.etcd.fsync=true]
 * </pre>
 */
class OperatorScaleBenchmark {
  static final String NS = "bench";
  static final int NODES = Integer.getInteger("bench.nodes", 500);
  static final int PROGRAMS = Integer.getInteger("bench.programs", 20);
  static final int WARMUP_PROGRAMS = Integer.getInteger("bench.warmupPrograms", 4);
  static final Duration LIMIT = Duration.ofSeconds(Long.getLong("bench.limitSeconds", 600));

  @Test
  void convergeAllProgramsToReady() throws Exception {
    try (LocalControlPlane plane = LocalControlPlane.start()) {
      plane.installBpfWasmCrds();
      KubernetesClient client = plane.client();
      TestResources.createNamespace(client, NS);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      Instant nodesStart = Instant.now();
      pool.invokeAll(IntStream.range(0, NODES).<java.util.concurrent.Callable<Object>>mapToObj(i -> () ->
          TestResources.createNode(client, "node-%04d".formatted(i), Map.of("bench", "yes"))).toList());
      System.out.printf("bench: created %d nodes in %d ms%n", NODES, millisSince(nodesStart));

      // Readiness is read from a watch, not by listing the programs again and again.
      KubernetesClient benchClient = OperatorClients.create(plane.config());
      SharedIndexInformer<BpfWasmProgram> programs = benchClient.resources(BpfWasmProgram.class).inNamespace(NS)
          .inform();
      SimulatedAgentFleet agents = new SimulatedAgentFleet(plane, NS).start();

      int port = freePort();
      Path log = Files.createTempFile("bench-operator-", ".log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(imageJvmOptions());
      String extraJvmOptions = System.getProperty("bench.operatorJvmOptions", "");
      if (!extraJvmOptions.isBlank()) {
        command.addAll(List.of(extraJvmOptions.trim().split("\\s+")));
      }
      command.add("-Xmx512m");
      command.addAll(List.of("-jar", Path.of("target", "bpfwasm-operator.jar").toString(),
          "--kubeconfig=" + plane.kubeconfig(), "--no-leader-election", "--http-address=127.0.0.1:" + port));
      System.out.printf("bench: operator command: %s%n", String.join(" ", command));
      boolean converged = false;
      Process operator = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        awaitReady(http, port, operator, log);

        warmUp(plane, client);
        ApiserverWrites writesBefore = ApiserverWrites.scrape(client);
        CpuTimes cpuBefore = CpuTimes.sample(operator.pid());
        double stealBefore = stealSeconds();
        Instant start = Instant.now();
        for (int p = 0; p < PROGRAMS; p++) {
          client.resource(TestResources.program(NS, "prog-%02d".formatted(p), Map.of("bench", "yes"),
              TestResources.DIGEST_A)).create();
        }
        long lastPrint = 0;
        long allSeenMillis = -1;
        int ready;
        do {
          ready = countReady(programs.getStore().list());
          long elapsed = millisSince(start);
          if (allSeenMillis < 0 && agents.assignmentsSeen() >= (long) NODES * PROGRAMS) {
            allSeenMillis = elapsed;
          }
          if (elapsed - lastPrint >= 5_000) {
            System.out.printf("bench: %5d ms: %d/%d programs Ready, %d assignments seen, %d agent reports%n",
                elapsed, ready, PROGRAMS, agents.assignmentsSeen(), agents.reports());
            lastPrint = elapsed;
          }
          assertThat(operator.isAlive()).as("operator process (log " + log + ")").isTrue();
          assertThat(agents.failures()).as("simulated agents' failed reports").isZero();
          assertThat(Duration.ofMillis(elapsed)).isLessThan(LIMIT);
          Thread.sleep(200); // polling interval of the measurement, not a wait for a condition
        } while (ready < PROGRAMS);
        long convergeMillis = millisSince(start);
        converged = true;
        CpuTimes cpu = CpuTimes.sample(operator.pid()).minus(cpuBefore);
        double steal = stealSeconds() - stealBefore;
        ApiserverWrites writes = ApiserverWrites.scrape(client).minus(writesBefore);

        String sample = client.raw("/apis/bpfwasm.io/v1alpha1/namespaces/" + NS + "/bpfwasmnodeprograms/"
            + client.resources(BpfWasmNodeProgram.class).inNamespace(NS)
                .list(new ListOptionsBuilder().withLimit(1L).build()).getItems().get(0).getMetadata().getName());
        System.out.printf("bench: one assignment as stored: %d bytes JSON%n%s%n", sample.length(), sample);
        System.out.printf("bench: operator reconciliations: %s%n", reconciliations(http, port));
        double heapUsed = heapUsedBytes(http, port);
        runGc(operator.pid());
        double heapAfterGc = heapUsedBytes(http, port);
        System.out.printf("bench: requests during convergence (apiserver_request_total: verb resource[/subresource]"
                + " code):%n%s",
            writes.describe());
        System.out.printf("bench: CPU seconds during convergence: %s (load average %s; %.1f s of CPU taken by the"
            + " hypervisor, i.e. steal)%n", cpu, loadAverage(), steal);
        System.out.printf("bench: RESULT nodes=%d programs=%d assignments=%d converge=%d ms allAssignmentsCreated=%s"
                + " writes=%d writesPerSecond=%.0f agentReports=%d operatorHeapUsed=%.0f MiB heapAfterGc=%.0f MiB"
                + " (-Xmx512m; etcd %s)%n", NODES, PROGRAMS, NODES * PROGRAMS, convergeMillis,
            allSeenMillis < 0 ? "never" : allSeenMillis + " ms", writes.total(),
            writes.total() * 1000.0 / convergeMillis, agents.reports(), heapUsed / (1 << 20), heapAfterGc / (1 << 20),
            LocalControlPlane.ETCD_DURABILITY);
      } finally {
        operator.destroy();
        operator.waitFor(20, TimeUnit.SECONDS);
        agents.close();
        programs.close();
        benchClient.close();
        pool.shutdownNow();
        if (converged) {
          Files.deleteIfExists(log);
        } else {
          System.out.printf("bench: operator log kept: %s%n", log);
        }
      }
    }
  }

  /**
   * Before measuring, an operator that has already done this kind of work: WARMUP_PROGRAMS programs on every node
   * rolled out, answered and deleted in a namespace of their own. A running operator has its hot code compiled; a
   * fresh JVM would spend much of the measured minute compiling. With -Dbench.warmupPrograms=0 the benchmark measures
   * a cold operator instead.
   */
  private static void warmUp(LocalControlPlane plane, KubernetesClient client) throws Exception {
    if (WARMUP_PROGRAMS == 0) {
      System.out.printf("bench: no warm-up: the operator starts cold%n");
      return;
    }
    Instant begin = Instant.now();
    String namespace = NS + "-warmup";
    TestResources.createNamespace(client, namespace);
    try (SimulatedAgentFleet agents = new SimulatedAgentFleet(plane, namespace).start()) {
      for (int p = 0; p < WARMUP_PROGRAMS; p++) {
        client.resource(TestResources.program(namespace, "warmup-%02d".formatted(p), Map.of("bench", "yes"),
            TestResources.DIGEST_A)).create();
      }
      var programs = client.resources(BpfWasmProgram.class).inNamespace(namespace);
      while (countReady(programs.list().getItems()) < WARMUP_PROGRAMS) {
        assertThat(Duration.between(begin, Instant.now())).as("warm-up").isLessThan(LIMIT);
        Thread.sleep(500); // polling interval, not a wait for a condition
      }
      programs.delete();
      while (!programs.list().getItems().isEmpty()) {
        assertThat(Duration.between(begin, Instant.now())).as("warm-up").isLessThan(LIMIT);
        Thread.sleep(500);
      }
    }
    System.out.printf("bench: warm-up: %d programs x %d nodes rolled out, Ready and deleted in %d ms%n",
        WARMUP_PROGRAMS, NODES, millisSince(begin));
  }

  /** Mutating requests the apiserver has served, from its apiserver_request_total counter. */
  private record ApiserverWrites(Map<String, Long> byKind) {
    private static final Pattern SAMPLE = Pattern.compile("^apiserver_request_total\\{(.*)} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE", "APPLY");
    private static final Set<String> READS = Set.of("GET", "LIST");

    static ApiserverWrites scrape(KubernetesClient client) {
      Map<String, Long> byKind = new TreeMap<>();
      for (String line : client.raw("/metrics").lines().toList()) {
        Matcher sample = SAMPLE.matcher(line);
        if (!sample.matches()) {
          continue;
        }
        Map<String, String> labels = new HashMap<>();
        Matcher label = LABEL.matcher(sample.group(1));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
        if (!WRITES.contains(labels.get("verb")) && !READS.contains(labels.get("verb"))) {
          continue;
        }
        String kind = labels.get("verb") + " " + labels.get("resource")
            + (labels.getOrDefault("subresource", "").isEmpty() ? "" : "/" + labels.get("subresource"))
            + " " + labels.get("code");
        byKind.merge(kind, (long) Double.parseDouble(sample.group(2)), Long::sum);
      }
      return new ApiserverWrites(byKind);
    }

    ApiserverWrites minus(ApiserverWrites before) {
      Map<String, Long> delta = new TreeMap<>();
      byKind.forEach((kind, n) -> {
        long d = n - before.byKind.getOrDefault(kind, 0L);
        if (d != 0) {
          delta.put(kind, d);
        }
      });
      return new ApiserverWrites(delta);
    }

    long total() {
      return byKind.entrySet().stream().filter(e -> WRITES.contains(e.getKey().substring(0, e.getKey().indexOf(' '))))
          .mapToLong(Map.Entry::getValue).sum();
    }

    String describe() {
      StringBuilder text = new StringBuilder();
      byKind.forEach((kind, n) -> text.append("bench:   %7d %s%n".formatted(n, kind)));
      return text.toString();
    }
  }

  /** CPU time used by the operator, etcd, kube-apiserver (children of this JVM) and this JVM (agents, polling). */
  private record CpuTimes(Map<String, Duration> byProcess) {
    static CpuTimes sample(long operatorPid) {
      Map<String, Duration> times = new TreeMap<>();
      ProcessHandle.current().descendants().forEach(p -> {
        String command = p.info().command().orElse("");
        String name = p.pid() == operatorPid ? "operator" : Path.of(command.isEmpty() ? "?" : command)
            .getFileName().toString();
        if (name.equals("etcd") || name.equals("kube-apiserver") || name.equals("operator")) {
          times.merge(name, p.info().totalCpuDuration().orElse(Duration.ZERO), Duration::plus);
        }
      });
      times.put("benchmark+agents", ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
      return new CpuTimes(times);
    }

    CpuTimes minus(CpuTimes before) {
      Map<String, Duration> delta = new TreeMap<>();
      byProcess.forEach((name, t) -> delta.put(name, t.minus(before.byProcess.getOrDefault(name, Duration.ZERO))));
      return new CpuTimes(delta);
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder();
      byProcess.forEach((name, t) -> text.append(text.isEmpty() ? "" : ", ")
          .append("%s %.1f".formatted(name, t.toMillis() / 1000.0)));
      return text.toString();
    }
  }

  // The "steal" column of /proc/stat: time a virtual machine's CPUs were runnable but the host ran something else.
  private static double stealSeconds() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      return cpu.length > 8 ? Long.parseLong(cpu[8]) / 100.0 : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static int countReady(List<BpfWasmProgram> programs) {
    return (int) programs.stream()
        .filter(p -> p.getStatus() != null
            && Objects.equals(p.getStatus().getObservedGeneration(), p.getMetadata().getGeneration())
            && p.getStatus().condition(Conditions.READY).map(c -> Conditions.TRUE.equals(c.getStatus()))
                .orElse(false))
        .count();
  }

  private static void awaitReady(HttpClient http, int port, Process operator, Path log) throws Exception {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      assertThat(operator.isAlive()).as(Files.readString(log)).isTrue();
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the operator is still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("operator not ready in 60 s:\n" + Files.readString(log));
  }

  /** The JVM options of operator/Dockerfile's ENTRYPOINT (between "java" and "-jar"): the operator runs as in its
   * image. */
  private static List<String> imageJvmOptions() throws IOException {
    String entrypoint = Files.readAllLines(Path.of("Dockerfile")).stream().filter(l -> l.startsWith("ENTRYPOINT"))
        .findFirst().orElseThrow(() -> new AssertionError("no ENTRYPOINT in operator/Dockerfile"));
    List<String> words = Pattern.compile("\"([^\"]*)\"").matcher(entrypoint).results().map(m -> m.group(1)).toList();
    return words.subList(1, words.indexOf("-jar"));
  }

  // JOSDK's counters (operator_sdk_reconciliations_{started,success,failed}_total), summed over their labels.
  private static Map<String, Long> reconciliations(HttpClient http, int port) throws Exception {
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Long> counts = new TreeMap<>();
    metrics.lines().filter(l -> l.startsWith("operator_sdk_reconciliations_"))
        .forEach(l -> counts.merge(l.substring(0, l.indexOf('{') < 0 ? l.indexOf(' ') : l.indexOf('{')),
            (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Long::sum));
    return counts;
  }

  private static double heapUsedBytes(HttpClient http, int port) throws Exception {
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines()
        .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static void runGc(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
  }

  private static long millisSince(Instant start) {
    return Duration.between(start, Instant.now()).toMillis();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
