package io.bpfwasm.operator;

import static io.bpfwasm.operator.TestResources.DIGEST_A;
import static io.bpfwasm.operator.TestResources.DIGEST_B;
import static io.bpfwasm.operator.TestResources.assignedNodes;
import static io.bpfwasm.operator.TestResources.assignmentsOf;
import static io.bpfwasm.operator.TestResources.condition;
import static io.bpfwasm.operator.TestResources.createNode;
import static io.bpfwasm.operator.TestResources.get;
import static io.bpfwasm.operator.TestResources.program;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.Conditions;
import io.bpfwasm.api.v1alpha1.Labels;
import io.bpfwasm.testing.ControlPlaneExtension;
import io.bpfwasm.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator against a real kube-apiserver: assignments follow Nodes; agent reports drive the program status. */
@ExtendWith({ControlPlaneExtension.class, OperatorExtension.class})
class ProgramReconcilerIT {
  static final String NS = "reconciler-it";
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  static LocalControlPlane plane;
  static KubernetesClient client;

  @BeforeAll
  static void setUp(LocalControlPlane controlPlane) {
    plane = controlPlane;
    client = controlPlane.client();
    TestResources.createNamespace(client, NS);
  }

  @Test
  void createsAssignmentsOnlyForMatchingNodes() {
    createNode(client, "match-a", Map.of("case", "match", "role", "probe"));
    createNode(client, "match-b", Map.of("case", "match", "role", "web"));
    createNode(client, "match-c", Map.of("case", "match", "role", "probe"));
    BpfWasmProgram program = client.resource(program(NS, "match", Map.of("case", "match", "role", "probe"),
        DIGEST_A)).create();

    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(assignedNodes(client, NS, "match")).containsExactly("match-a", "match-c"));
    BpfWasmNodeProgram assignment = assignmentsOf(client, NS, "match").get(0);
    assertThat(assignment.getMetadata().getLabels())
        .containsEntry(Labels.PROGRAM, "match").containsEntry(Labels.NODE, assignment.getSpec().getNodeName());
    assertThat(assignment.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getUid()).isEqualTo(program.getMetadata().getUid());
      assertThat(owner.getKind()).isEqualTo("BpfWasmProgram");
    });
    assertThat(assignment.getSpec().getModule().getDigest()).isEqualTo(DIGEST_A);
    assertThat(assignment.getSpec().getArgs()).containsExactly("--verbose");
    assertThat(assignment.getSpec().getProgramGeneration()).isEqualTo(program.getMetadata().getGeneration());

    await().atMost(TIMEOUT).untilAsserted(() -> {
      BpfWasmProgram current = get(client, NS, "match");
      assertThat(current.getStatus().getObservedGeneration()).isEqualTo(current.getMetadata().getGeneration());
      assertThat(current.getStatus().getDesiredNodes()).isEqualTo(2);
      assertThat(current.getStatus().getReadyNodes()).isZero();
      assertThat(condition(current, Conditions.READY)).get()
          .extracting(Condition::getStatus, Condition::getReason)
          .containsExactly(Conditions.FALSE, Conditions.REASON_ROLLING_OUT);
      assertThat(condition(current, Conditions.PROGRESSING)).get()
          .extracting(Condition::getStatus).isEqualTo(Conditions.TRUE);
    });
  }

  @Test
  void relabellingANodeMovesItsAssignment() {
    createNode(client, "move-a", Map.of("case", "move", "zone", "one"));
    createNode(client, "move-b", Map.of("case", "move", "zone", "two"));
    client.resource(program(NS, "move", Map.of("case", "move", "zone", "one"), DIGEST_A)).create();
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(assignedNodes(client, NS, "move")).containsExactly("move-a"));

    relabel("move-b", "zone", "one");
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(assignedNodes(client, NS, "move")).containsExactly("move-a", "move-b"));

    relabel("move-a", "zone", "three");
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(assignedNodes(client, NS, "move")).containsExactly("move-b");
      assertThat(assignmentsOf(client, NS, "move")).hasSize(1);
    });
  }

  @Test
  void deletingANodeRemovesItsAssignmentEvenWhenItsAgentHeldAFinalizer() {
    createNode(client, "gone-a", Map.of("case", "gone"));
    createNode(client, "gone-b", Map.of("case", "gone"));
    client.resource(program(NS, "gone", Map.of("case", "gone"), DIGEST_A)).create();
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(assignedNodes(client, NS, "gone")).containsExactly("gone-a", "gone-b"));
    var agentB = new SimulatedAgent(client, "gone-b");
    agentB.holdFinalizer(agentB.assignments(NS).get(0));

    client.nodes().withName("gone-a").delete();
    client.nodes().withName("gone-b").delete();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(assignmentsOf(client, NS, "gone")).isEmpty();
      BpfWasmProgram current = get(client, NS, "gone");
      assertThat(condition(current, Conditions.READY)).get()
          .extracting(Condition::getReason).isEqualTo(Conditions.REASON_NO_MATCHING_NODES);
    });
  }

  @Test
  void aProgramThatMatchesNoNodeSaysSo() {
    client.resource(program(NS, "nowhere", Map.of("case", "nowhere"), DIGEST_A)).create();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      BpfWasmProgram current = get(client, NS, "nowhere");
      assertThat(condition(current, Conditions.READY)).get().satisfies(ready -> {
        assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(ready.getReason()).isEqualTo(Conditions.REASON_NO_MATCHING_NODES);
        assertThat(ready.getMessage()).isEqualTo("nodeSelector case=nowhere matches no Node");
      });
      assertThat(current.getStatus().getNodes()).isEqualTo("0/0");
    });
  }

  @Test
  void agentReportsDriveReadyDegradedAndRollout() {
    createNode(client, "status-a", Map.of("case", "status"));
    createNode(client, "status-b", Map.of("case", "status"));
    client.resource(program(NS, "status", Map.of("case", "status"), DIGEST_A)).create();
    var agents = List.of(new SimulatedAgent(client, "status-a"), new SimulatedAgent(client, "status-b"));
    await().atMost(TIMEOUT).until(() -> assignedNodes(client, NS, "status").size() == 2);

    // Both nodes report the program running: Ready, and kubectl wait agrees.
    agents.forEach(agent -> agent.reportRunning(agent.assignments(NS).get(0)));
    await().atMost(TIMEOUT).untilAsserted(() -> {
      BpfWasmProgram current = get(client, NS, "status");
      assertThat(condition(current, Conditions.READY)).get()
          .extracting(Condition::getStatus, Condition::getReason)
          .containsExactly(Conditions.TRUE, Conditions.REASON_ALL_NODES_READY);
      assertThat(condition(current, Conditions.PROGRESSING)).get().extracting(Condition::getStatus)
          .isEqualTo(Conditions.FALSE);
      assertThat(current.getStatus().getReadyNodes()).isEqualTo(2);
      assertThat(current.getStatus().getNodes()).isEqualTo("2/2");
      assertThat(current.getStatus().getDigest()).isEqualTo(DIGEST_A);
      assertThat(current.getStatus().getShortDigest()).isEqualTo("a1a1a1a1a1a1");
    });
    var wait = plane.kubectl("wait", "-n", NS, "--for=condition=Ready", "bwp/status", "--timeout=10s");
    assertThat(wait.exitCode()).as(wait.output()).isZero();

    // One node fails: Degraded, not Ready, the node's error in the message, a Warning event.
    agents.get(1).reportFailed(agents.get(1).assignments(NS).get(0), "program handle_exec: verifier rejected it",
        "0: (b7) r0 = 0\ninvalid mem access");
    await().atMost(TIMEOUT).untilAsserted(() -> {
      BpfWasmProgram current = get(client, NS, "status");
      assertThat(condition(current, Conditions.DEGRADED)).get().satisfies(degraded -> {
        assertThat(degraded.getStatus()).isEqualTo(Conditions.TRUE);
        assertThat(degraded.getReason()).isEqualTo(Conditions.REASON_NODES_FAILED);
        assertThat(degraded.getMessage()).contains("status-b: program handle_exec: verifier rejected it");
      });
      assertThat(condition(current, Conditions.READY)).get().extracting(Condition::getStatus)
          .isEqualTo(Conditions.FALSE);
      assertThat(current.getStatus().getFailedNodes()).isEqualTo(1);
      assertThat(current.getStatus().getReadyNodes()).isEqualTo(1);
    });
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(eventsOf("status"))
        .anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getReason()).isEqualTo(Conditions.REASON_NODES_FAILED);
        })
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo(Conditions.REASON_ALL_NODES_READY)));

    // A new digest rolls out: every assignment gets the new spec; Progressing until both nodes report it.
    BpfWasmProgram updated = client.resources(BpfWasmProgram.class).inNamespace(NS).withName("status")
        .edit(p -> { p.getSpec().getModule().setDigest(DIGEST_B); return p; });
    long generation = updated.getMetadata().getGeneration();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(assignmentsOf(client, NS, "status")).hasSize(2).allSatisfy(a -> {
        assertThat(a.getSpec().getModule().getDigest()).isEqualTo(DIGEST_B);
        assertThat(a.getSpec().getProgramGeneration()).isEqualTo(generation);
      });
      BpfWasmProgram current = get(client, NS, "status");
      assertThat(current.getStatus().getObservedGeneration()).isEqualTo(generation);
      assertThat(condition(current, Conditions.PROGRESSING)).get().extracting(Condition::getStatus)
          .isEqualTo(Conditions.TRUE);
      assertThat(condition(current, Conditions.READY)).get().extracting(Condition::getStatus)
          .isEqualTo(Conditions.FALSE);
    });
    agents.forEach(agent -> agent.reportRunning(agent.assignments(NS).get(0)));
    await().atMost(TIMEOUT).untilAsserted(() -> {
      BpfWasmProgram current = get(client, NS, "status");
      assertThat(condition(current, Conditions.READY)).get().extracting(Condition::getStatus)
          .isEqualTo(Conditions.TRUE);
      assertThat(condition(current, Conditions.DEGRADED)).get().extracting(Condition::getStatus)
          .isEqualTo(Conditions.FALSE);
      assertThat(current.getStatus().getDigest()).isEqualTo(DIGEST_B);
      assertThat(current.getStatus().getFailedNodes()).isZero();
    });
  }

  @Test
  void wideningTheSelectorLeavesRunningNodesAlone() {
    createNode(client, "widen-a", Map.of("case", "widen", "tier", "1"));
    createNode(client, "widen-b", Map.of("case", "widen", "tier", "2"));
    client.resource(program(NS, "widen", Map.of("case", "widen", "tier", "1"), DIGEST_A)).create();
    var agentA = new SimulatedAgent(client, "widen-a");
    await().atMost(TIMEOUT).until(() -> agentA.assignments(NS).size() == 1);
    agentA.reportRunning(agentA.assignments(NS).get(0));
    long generationBefore = agentA.assignments(NS).get(0).getMetadata().getGeneration();
    await().atMost(TIMEOUT).until(() -> "1/1".equals(get(client, NS, "widen").getStatus().getNodes()));

    client.resources(BpfWasmProgram.class).inNamespace(NS).withName("widen")
        .edit(p -> { p.getSpec().setNodeSelector(Map.of("case", "widen")); return p; });
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(assignedNodes(client, NS, "widen")).containsExactly("widen-a", "widen-b");
      BpfWasmProgram current = get(client, NS, "widen");
      assertThat(current.getStatus().getObservedGeneration()).isEqualTo(current.getMetadata().getGeneration());
      assertThat(current.getStatus().getNodes()).as("widen-a keeps running and counting").isEqualTo("1/2");
    });
    assertThat(agentA.assignments(NS).get(0).getMetadata().getGeneration()).isEqualTo(generationBefore);
  }

  @Test
  void deletionWaitsForEachAgentAndDoesNotWaitForAVanishedNode() {
    createNode(client, "del-a", Map.of("case", "del"));
    createNode(client, "del-b", Map.of("case", "del"));
    client.resource(program(NS, "del", Map.of("case", "del"), DIGEST_A)).create();
    var agentA = new SimulatedAgent(client, "del-a");
    var agentB = new SimulatedAgent(client, "del-b");
    await().atMost(TIMEOUT).until(() -> assignedNodes(client, NS, "del").size() == 2);
    agentA.holdFinalizer(agentA.assignments(NS).get(0));
    agentB.holdFinalizer(agentB.assignments(NS).get(0));
    await().atMost(TIMEOUT).until(() -> get(client, NS, "del").getMetadata().getFinalizers()
        .contains(Labels.OPERATOR_FINALIZER));

    client.resources(BpfWasmProgram.class).inNamespace(NS).withName("del").delete();
    // The operator asks both nodes to clean up, and the program stays until they have.
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(assignmentsOf(client, NS, "del")).hasSize(2)
          .allSatisfy(a -> assertThat(a.getMetadata().getDeletionTimestamp()).isNotNull());
      assertThat(condition(get(client, NS, "del"), Conditions.READY)).get()
          .extracting(Condition::getReason).isEqualTo(Conditions.REASON_DELETING);
    });

    agentA.releaseFinalizer(agentA.assignments(NS).get(0));
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(assignmentsOf(client, NS, "del")).singleElement()
            .extracting(a -> a.getSpec().getNodeName()).isEqualTo("del-b"));
    assertThat(get(client, NS, "del")).as("still waiting for del-b").isNotNull();

    // del-b's node vanishes with its agent: nobody will release that finalizer, so the operator does.
    client.nodes().withName("del-b").delete();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(assignmentsOf(client, NS, "del")).isEmpty();
      assertThat(get(client, NS, "del")).isNull();
    });
  }

  private static void relabel(String node, String key, String value) {
    client.nodes().withName(node).edit(n -> {
      n.getMetadata().getLabels().put(key, value);
      return n;
    });
  }

  private static List<Event> eventsOf(String program) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> program.equals(e.getInvolvedObject().getName()))
        .toList();
  }
}
