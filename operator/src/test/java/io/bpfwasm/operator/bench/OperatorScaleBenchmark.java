package io.bpfwasm.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramStatus;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.Conditions;
import io.bpfwasm.api.v1alpha1.NodeProgramPhase;
import io.bpfwasm.operator.TestResources;
import io.bpfwasm.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
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
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Operator scale benchmark (not part of `mvn verify`): N Node objects x M programs on a real apiserver, simulated
 * agents answering every assignment with a Running status patch, and the packaged operator jar as its own process
 * with -Xmx512m. Measures the time from creating the programs until all are Ready, and the operator's heap.
 *
 * <pre>
 * mvn -B -pl crds,operator verify -Dit.test=OperatorScaleBenchmark -Dfailsafe.failIfNoSpecifiedTests=false \
 *     [-Dbench.nodes=500] [-Dbench.programs=20]
 * </pre>
 */
class OperatorScaleBenchmark {
  static final String NS = "bench";
  static final int NODES = Integer.getInteger("bench.nodes", 500);
  static final int PROGRAMS = Integer.getInteger("bench.programs", 20);
  static final Duration LIMIT = Duration.ofMinutes(10);

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

      AtomicLong reports = new AtomicLong();
      // Real agents are one process per node, so they answer in parallel; 64 concurrent answers stand in for them.
      ExecutorService agentPool = Executors.newFixedThreadPool(64);
      SharedIndexInformer<BpfWasmNodeProgram> agents = simulatedAgents(client, agentPool, reports);

      int port = freePort();
      Path log = Files.createTempFile("bench-operator-", ".log");
      Process operator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx512m", "-jar", Path.of("target", "bpfwasm-operator.jar").toString(),
          "--kubeconfig=" + plane.kubeconfig(), "--no-leader-election", "--http-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        awaitReady(http, port, operator, log);

        Instant start = Instant.now();
        for (int p = 0; p < PROGRAMS; p++) {
          client.resource(TestResources.program(NS, "prog-%02d".formatted(p), Map.of("bench", "yes"),
              TestResources.DIGEST_A)).create();
        }
        long lastPrint = 0;
        int ready;
        do {
          ready = countReady(client);
          long elapsed = millisSince(start);
          if (elapsed - lastPrint >= 5_000) {
            System.out.printf("bench: %5d ms: %d/%d programs Ready, %d agent reports%n", elapsed, ready, PROGRAMS,
                reports.get());
            lastPrint = elapsed;
          }
          assertThat(operator.isAlive()).as("operator process (log " + log + ")").isTrue();
          assertThat(Duration.ofMillis(elapsed)).isLessThan(LIMIT);
          Thread.sleep(200); // polling interval of the measurement, not a wait for a condition
        } while (ready < PROGRAMS);
        long convergeMillis = millisSince(start);

        double heapUsed = heapUsedBytes(http, port);
        runGc(operator.pid());
        double heapAfterGc = heapUsedBytes(http, port);
        System.out.printf("bench: RESULT nodes=%d programs=%d assignments=%d converge=%d ms agentReports=%d"
                + " operatorHeapUsed=%.0f MiB heapAfterGc=%.0f MiB (-Xmx512m)%n", NODES, PROGRAMS,
            NODES * PROGRAMS, convergeMillis, reports.get(), heapUsed / (1 << 20), heapAfterGc / (1 << 20));
      } finally {
        operator.destroy();
        operator.waitFor(20, TimeUnit.SECONDS);
        agents.close();
        agentPool.shutdownNow();
        pool.shutdownNow();
        Files.deleteIfExists(log);
      }
    }
  }

  // One informer stands in for all agents: each new assignment generation gets a Running status patch.
  private static SharedIndexInformer<BpfWasmNodeProgram> simulatedAgents(KubernetesClient client,
      ExecutorService pool, AtomicLong reports) {
    return client.resources(BpfWasmNodeProgram.class).inNamespace(NS).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(BpfWasmNodeProgram assignment) {
        answer(assignment);
      }

      @Override
      public void onUpdate(BpfWasmNodeProgram old, BpfWasmNodeProgram assignment) {
        answer(assignment);
      }

      @Override
      public void onDelete(BpfWasmNodeProgram assignment, boolean unknown) {}

      private void answer(BpfWasmNodeProgram assignment) {
        var status = assignment.getStatus();
        if (status != null && Objects.equals(status.getObservedGeneration(),
            assignment.getMetadata().getGeneration())) {
          return;
        }
        pool.submit(() -> {
          var report = new BpfWasmNodeProgramStatus();
          report.setObservedGeneration(assignment.getMetadata().getGeneration());
          report.setPhase(NodeProgramPhase.RUNNING);
          report.setDigest(assignment.getSpec().getModule().getDigest());
          report.setUpdatedAt(Instant.now().toString());
          var patch = new BpfWasmNodeProgram();
          patch.setMetadata(new ObjectMetaBuilder().withName(assignment.getMetadata().getName())
              .withNamespace(NS).build());
          patch.setStatus(report);
          client.resources(BpfWasmNodeProgram.class).inNamespace(NS).withName(assignment.getMetadata().getName())
              .patchStatus(patch);
          reports.incrementAndGet();
        });
      }
    });
  }

  private static int countReady(KubernetesClient client) {
    return (int) client.resources(BpfWasmProgram.class).inNamespace(NS).list().getItems().stream()
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
