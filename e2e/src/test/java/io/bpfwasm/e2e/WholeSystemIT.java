package io.bpfwasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.Conditions;
import io.bpfwasm.api.v1alpha1.Labels;
import io.bpfwasm.api.v1alpha1.NodeProgramPhase;
import io.bpfwasm.bpf.KernelObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole system as real processes on this machine: control plane (etcd, kube-apiserver,
 * kube-controller-manager), OCI registry, operator, and two agents acting as two Nodes on the one kernel. Everything
 * is driven with kubectl, as a user would. Each test uses its own program name and deletes it at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WholeSystemIT {
  private static final String NS = "default";
  private static final String NODE_A = "e2e-node-a";
  private static final String NODE_B = "e2e-node-b";
  private static final String ZONE = "bpfwasm.io/e2e-zone";
  private static final Duration READY_WAIT = Duration.ofSeconds(90);
  /** execsnoop -p <this JVM's pid>: only the processes these tests start, not the rest of a busy machine. */
  private static final List<String> OUR_CHILDREN = List.of("-p", Long.toString(ProcessHandle.current().pid()));

  private final Instant begin = Instant.now();
  private LocalCluster cluster;
  private LocalCluster.PushedModule v1;
  private LocalCluster.PushedModule v2;
  private Path binDir;

  @BeforeAll
  void startCluster() throws IOException {
    Path root = Repository.root();
    Path work = root.resolve("e2e/target/local-cluster-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    cluster = LocalCluster.start(root, work, List.of(
        new LocalCluster.NodeSpec(NODE_A, Map.of(ZONE, "a")),
        new LocalCluster.NodeSpec(NODE_B, Map.of(ZONE, "b"))));
    Path execsnoop = root.resolve("native/build/execsnoop.wasm");
    assertThat(execsnoop).as("run make -C native first").exists();
    v1 = cluster.push(execsnoop, "execsnoop", "v1");
    v2 = cluster.push(Programs.withCustomSection(execsnoop, work.resolve("execsnoop-v2.wasm"), "v2"), "execsnoop",
        "v2");
    assertThat(v2.digest()).isNotEqualTo(v1.digest());
    binDir = Files.createDirectories(work.resolve("bin"));
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    System.out.printf("e2e: total duration %.1f s (cluster start, all tests, teardown)%n",
        Duration.between(begin, Instant.now()).toMillis() / 1000.0);
  }

  @Test
  void sampleManifestBecomesReadyOnBothNodesAndReportsEventsOfAProcessWeStart() {
    String name = "execsnoop";
    apply(Programs.sample(name, v1));
    try {
      waitReady(name);
      assertThat(program(name).getStatus().getNodes()).isEqualTo("2/2");
      assertThat(assignments(name)).extracting(a -> a.getSpec().getNodeName())
          .containsExactlyInAnyOrder(NODE_A, NODE_B);

      Path binary = uniqueExecutable("sample");
      // The module may still be attaching right after Ready: run the process until both agents' guests saw it.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        run(binary);
        for (String node : List.of(NODE_A, NODE_B)) {
          assertThat(guestLines(node, name)).as("exec events of %s on %s", binary, node)
              .anyMatch(line -> line.contains("exec pid=") && line.contains("filename=" + binary));
        }
      });
      // The counters the agents report in each node's status (refreshed every few seconds) count the samples.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(assignments(name))
          .allSatisfy(a -> assertThat(a.getStatus().getEventsDelivered()).isPositive()));
    } catch (RuntimeException | Error e) {
      cleanUpAfterFailure(name, e);
      throw e;
    }
    deleteAndCheckUnloaded(name);
  }

  @Test
  void deleteRemovesTheObjectsAndUnloadsTheProgramsFromTheKernel() {
    String name = "to-delete";
    apply(Programs.program(name, v1, Map.of(), OUR_CHILDREN));
    waitReady(name);
    Set<Integer> ids = reportedProgramIds(name, 2);
    assertThat(KernelObjects.programIds()).containsAll(ids);

    CommandResult delete = cluster.kubectl("delete", "bwp", name, "--wait=true", "--timeout=90s");
    assertThat(delete.succeeded()).as(delete.describe()).isTrue();
    assertThat(cluster.kubectl("get", "bwp", name).stderr()).contains("NotFound");
    assertThat(cluster.kubectl("get", "bwnp", "-l", Labels.PROGRAM + "=" + name, "-o", "name").stdout()).isBlank();
    // The agents closed their BPF objects before releasing the finalizers; the kernel frees them shortly after.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(KernelObjects.programIds()).doesNotContainAnyElementsOf(ids));
  }

  @Test
  void nodeSelectorPicksExactlyOneOfTheTwoNodes() {
    String name = "zone-b-only";
    apply(Programs.program(name, v1, Map.of(ZONE, "b"), OUR_CHILDREN));
    try {
      waitReady(name);
      assertThat(program(name).getStatus().getNodes()).isEqualTo("1/1");
      assertThat(assignments(name)).singleElement()
          .satisfies(a -> assertThat(a.getSpec().getNodeName()).isEqualTo(NODE_B));
      Path binary = uniqueExecutable("zone");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        run(binary);
        assertThat(guestLines(NODE_B, name)).anyMatch(line -> line.contains("filename=" + binary));
      });
      assertThat(guestLines(NODE_A, name)).as("node A is not selected and runs nothing of it").isEmpty();
    } catch (RuntimeException | Error e) {
      cleanUpAfterFailure(name, e);
      throw e;
    }
    deleteAndCheckUnloaded(name);
  }

  @Test
  void aNewModuleDigestRollsToBothNodes() {
    String name = "rollout";
    apply(Programs.program(name, v1, Map.of(), OUR_CHILDREN));
    try {
      waitReady(name);
      Set<Integer> before = reportedProgramIds(name, 2);

      apply(Programs.program(name, v2, Map.of(), OUR_CHILDREN));
      CommandResult rolled = cluster.kubectl("wait", "bwp/" + name, "--for=jsonpath={.status.digest}=" + v2.digest(),
          "--timeout=" + READY_WAIT.toSeconds() + "s");
      assertThat(rolled.succeeded()).as(rolled.describe()).isTrue();
      await().atMost(READY_WAIT).untilAsserted(() -> {
        BpfWasmProgram program = program(name);
        assertThat(program.getStatus().getObservedGeneration()).isEqualTo(program.getMetadata().getGeneration());
        assertThat(ready(program)).isTrue();
      });
      assertThat(assignments(name)).hasSize(2).allSatisfy(a -> {
        assertThat(a.getStatus().getDigest()).isEqualTo(v2.digest());
        assertThat(a.getStatus().getPhase()).isEqualTo(NodeProgramPhase.RUNNING);
      });
      // The old instances were replaced: their programs are gone from the kernel.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(KernelObjects.programIds()).doesNotContainAnyElementsOf(before));
    } catch (RuntimeException | Error e) {
      cleanUpAfterFailure(name, e);
      throw e;
    }
    deleteAndCheckUnloaded(name);
  }

  @Test
  void invalidManifestsAreRejectedWithTheirValidationMessages() {
    String badDigest = Programs.program("bad-digest", v1, Map.of(), List.of())
        .replace(v1.digest(), "sha256:abc");
    CommandResult result = cluster.kubectlWithInput(badDigest, "apply", "-f", "-");
    assertThat(result.exitCode()).as(result.describe()).isNotZero();
    assertThat(result.stderr()).contains("The BpfWasmProgram \"bad-digest\" is invalid: spec.module.digest")
        .contains("module.digest must be \"sha256:\" followed by 64 lowercase hex digits");

    String twoSources = Programs.program("two-sources", v1, Map.of(), List.of())
        .replace("    digest:", "    configMap: {name: modules, key: execsnoop.wasm}\n    digest:");
    result = cluster.kubectlWithInput(twoSources, "apply", "-f", "-");
    assertThat(result.exitCode()).as(result.describe()).isNotZero();
    assertThat(result.stderr()).contains("module: set exactly one source: oci, https or configMap");

    assertThat(cluster.kubectl("get", "bwp", "bad-digest").stderr()).contains("NotFound");
    assertThat(cluster.kubectl("get", "bwp", "two-sources").stderr()).contains("NotFound");
  }

  @Test
  void samplesInExamplesAreValidAgainstTheCrds() {
    for (String sample : List.of("execsnoop", "syscount", "runqlat")) {
      Path file = Repository.root().resolve("examples").resolve(sample + ".yaml");
      CommandResult dryRun = cluster.kubectl("apply", "--dry-run=server", "-f", file.toString());
      assertThat(dryRun.succeeded()).as(dryRun.describe()).isTrue();
    }
  }

  @Test
  void anAgentKilledAndRestartedRecoversItsPrograms() {
    String name = "survives-kill";
    apply(Programs.program(name, v1, Map.of(ZONE, "a"), OUR_CHILDREN));
    try {
      waitReady(name);
      Set<Integer> before = reportedProgramIds(name, 1);
      assertThat(KernelObjects.programIds()).containsAll(before);

      cluster.agent(NODE_A).kill(); // SIGKILL: no cleanup code runs
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(KernelObjects.programIds()).as("the kernel drops a dead process's programs")
              .doesNotContainAnyElementsOf(before));

      ClusterProcess restarted = cluster.restartAgent(NODE_A);
      int logLinesBefore = restarted.logText().split("\n").length;
      await().atMost(READY_WAIT).untilAsserted(() -> {
        BpfWasmNodeProgram assignment = assignments(name).getFirst();
        assertThat(assignment.getStatus().getPhase()).isEqualTo(NodeProgramPhase.RUNNING);
        assertThat(assignment.getStatus().getProgramIds()).isNotEmpty()
            .allSatisfy(id -> assertThat(before).doesNotContain(id.intValue()));
      });
      Set<Integer> after = reportedProgramIds(name, 1);
      assertThat(KernelObjects.programIds()).containsAll(after);
      waitReady(name);
      Path binary = uniqueExecutable("recovered");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        run(binary);
        List<String> lines = restarted.logText().lines().skip(logLinesBefore - 1).toList();
        assertThat(lines).anyMatch(line -> line.contains(NS + "/" + name + " stdout: exec")
            && line.contains("filename=" + binary));
      });
    } catch (RuntimeException | Error e) {
      cleanUpAfterFailure(name, e);
      throw e;
    }
    deleteAndCheckUnloaded(name);
  }

  /** apply → Ready with the module already in both agents' caches; p50 over several runs, printed. */
  @Test
  void applyToReadyLatencyWithTheModuleCached() {
    String name = "latency";
    String manifest = Programs.program(name, v1, Map.of(), OUR_CHILDREN);
    // Warm-up: puts the module into both caches (other tests may already have).
    apply(manifest);
    waitReady(name);
    deleteAndCheckUnloaded(name);

    List<Long> millis = new ArrayList<>();
    for (int run = 0; run < 7; run++) {
      Instant start = Instant.now();
      apply(manifest);
      CommandResult wait = cluster.kubectl("wait", "bwp/" + name, "--for=condition=Ready",
          "--timeout=" + READY_WAIT.toSeconds() + "s");
      millis.add(Duration.between(start, Instant.now()).toMillis());
      assertThat(wait.succeeded()).as(wait.describe()).isTrue();
      deleteAndCheckUnloaded(name);
    }
    List<Long> sorted = millis.stream().sorted().toList();
    long p50 = sorted.get(sorted.size() / 2);
    System.out.printf("e2e: apply -> Ready (2 nodes, module cached, kubectl apply + kubectl wait): p50 %d ms, "
        + "min %d ms, max %d ms over %d runs %s%n", p50, sorted.getFirst(), sorted.getLast(), sorted.size(), millis);
    // The target is 2 s; the bound leaves room for a loaded CI machine.
    assertThat(p50).as("p50 apply -> Ready in ms").isLessThan(5_000);
  }

  // --- helpers

  private void apply(String manifest) {
    CommandResult result = cluster.kubectlWithInput(manifest, "apply", "-f", "-");
    assertThat(result.succeeded()).as(result.describe()).isTrue();
  }

  private void waitReady(String name) {
    CommandResult result = cluster.kubectl("wait", "bwp/" + name, "--for=condition=Ready",
        "--timeout=" + READY_WAIT.toSeconds() + "s");
    assertThat(result.succeeded()).as(() -> result.describe() + "\n" + diagnostics()).isTrue();
  }

  /** Deletes the program with kubectl and checks that every kernel program its nodes reported is gone. */
  private void deleteAndCheckUnloaded(String name) {
    Set<Integer> ids = new java.util.TreeSet<>();
    assignments(name).forEach(a -> {
      if (a.getStatus() != null) {
        a.getStatus().getProgramIds().forEach(id -> ids.add(id.intValue()));
      }
    });
    CommandResult delete = cluster.kubectl("delete", "bwp", name, "--ignore-not-found", "--wait=true",
        "--timeout=90s");
    assertThat(delete.succeeded()).as(delete.describe()).isTrue();
    assertThat(assignments(name)).isEmpty();
    if (ids.isEmpty()) {
      return; // nothing was loaded (e.g. the test failed before)
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(KernelObjects.programIds()).doesNotContainAnyElementsOf(ids));
  }

  /** Deletes the program of a failed test; a failure to do so is attached to the test's failure, not hiding it. */
  private void cleanUpAfterFailure(String name, Throwable failure) {
    try {
      deleteAndCheckUnloaded(name);
    } catch (RuntimeException | Error cleanup) {
      failure.addSuppressed(cleanup);
    }
  }

  /** Waits until {@code nodes} assignments report kernel program ids and returns them all. */
  private Set<Integer> reportedProgramIds(String name, int nodes) {
    Set<Integer> ids = new java.util.TreeSet<>();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<BpfWasmNodeProgram> assignments = assignments(name);
      assertThat(assignments).hasSize(nodes).allSatisfy(a ->
          assertThat(a.getStatus().getProgramIds()).isNotEmpty());
      ids.clear();
      assignments.forEach(a -> a.getStatus().getProgramIds().forEach(id -> ids.add(id.intValue())));
    });
    return ids;
  }

  private BpfWasmProgram program(String name) {
    return cluster.client().resources(BpfWasmProgram.class).inNamespace(NS).withName(name).get();
  }

  private List<BpfWasmNodeProgram> assignments(String name) {
    return cluster.client().resources(BpfWasmNodeProgram.class).inNamespace(NS)
        .withLabel(Labels.PROGRAM, Labels.valueFor(name)).list().getItems();
  }

  private static boolean ready(BpfWasmProgram program) {
    return program.getStatus() != null && program.getStatus().getConditions().stream()
        .anyMatch(c -> Conditions.READY.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus()));
  }

  /** The guest output lines of program {@code name} in the log of the agent of {@code node}. */
  private List<String> guestLines(String node, String name) {
    String tag = " " + NS + "/" + name + " stdout: ";
    return cluster.agent(node).logText().lines().filter(line -> line.contains(tag)).toList();
  }

  /** A copy of /bin/true under a name no other process on the machine has, so its exec event is ours. */
  private Path uniqueExecutable(String label) {
    try {
      Path binary = binDir.resolve("e2e-" + label + "-" + Long.toHexString(System.nanoTime()));
      Files.copy(Path.of("/bin/true"), binary, StandardCopyOption.COPY_ATTRIBUTES);
      return binary;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void run(Path binary) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(binary.toString()).start();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  private String diagnostics() {
    return cluster.kubectl("get", "bwp,bwnp", "-o", "yaml").stdout() + "\n--- agent " + NODE_A + ":\n"
        + cluster.agent(NODE_A).tail(30) + "\n--- agent " + NODE_B + ":\n" + cluster.agent(NODE_B).tail(30)
        + "\n--- operator:\n" + cluster.operator().tail(30);
  }
}
