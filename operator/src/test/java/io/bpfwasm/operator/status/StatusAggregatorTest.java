package io.bpfwasm.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramSpec;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramStatus;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgramStatus;
import io.bpfwasm.api.v1alpha1.Conditions;
import io.bpfwasm.api.v1alpha1.NodeProgramPhase;
import io.bpfwasm.operator.TestResources;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");

  @Test
  void noSelectedNodeIsNotReadyWithTheSelectorInTheMessage() {
    var status = StatusAggregator.aggregate(program(3, false), List.of(), Map.of(), T0);
    assertThat(status.getObservedGeneration()).isEqualTo(3);
    assertThat(ready(status)).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly(Conditions.FALSE, Conditions.REASON_NO_MATCHING_NODES, "nodeSelector role=probe matches no Node");
    assertThat(status.getNodes()).isEqualTo("0/0");
  }

  @Test
  void allNodesRunningTheCurrentDigestIsReady() {
    var program = program(2, false);
    var status = StatusAggregator.aggregate(program, List.of("a", "b"),
        Map.of("a", reported(program, NodeProgramPhase.RUNNING, TestResources.DIGEST_A),
            "b", reported(program, NodeProgramPhase.RUNNING, TestResources.DIGEST_A)), T0);
    assertThat(ready(status)).extracting(Condition::getStatus, Condition::getReason)
        .containsExactly(Conditions.TRUE, Conditions.REASON_ALL_NODES_READY);
    assertThat(status.getConditions()).extracting(Condition::getType)
        .containsExactly(Conditions.READY, Conditions.PROGRESSING, Conditions.DEGRADED);
    assertThat(status.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2));
    assertThat(status.getReadyNodes()).isEqualTo(2);
    assertThat(status.getShortDigest()).isEqualTo("a1a1a1a1a1a1");
  }

  @Test
  void aReportForAnOlderAssignmentGenerationDoesNotCount() {
    var program = program(2, false);
    var stale = reported(program, NodeProgramPhase.RUNNING, TestResources.DIGEST_A);
    stale.getStatus().setObservedGeneration(stale.getMetadata().getGeneration() - 1);
    var status = StatusAggregator.aggregate(program, List.of("a"), Map.of("a", stale), T0);
    assertThat(ready(status)).extracting(Condition::getReason).isEqualTo(Conditions.REASON_ROLLING_OUT);
    assertThat(status.getReadyNodes()).isZero();
  }

  @Test
  void aFailedNodeDegradesWithItsErrorAndTheRestKeepRollingOut() {
    var program = program(1, false);
    var failed = reported(program, NodeProgramPhase.FAILED, null);
    failed.getStatus().setLastError(new BpfWasmNodeProgramStatus.LastError("map events: too big", null, null));
    Map<String, BpfWasmNodeProgram> assignments = new HashMap<>();
    assignments.put("a", reported(program, NodeProgramPhase.RUNNING, TestResources.DIGEST_A));
    assignments.put("b", failed);
    var status = StatusAggregator.aggregate(program, List.of("a", "b", "c"), assignments, T0);
    assertThat(status.condition(Conditions.DEGRADED)).get()
        .extracting(Condition::getStatus, Condition::getMessage)
        .containsExactly(Conditions.TRUE, "1/3 nodes failed (b); b: map events: too big");
    assertThat(ready(status)).extracting(Condition::getReason).isEqualTo(Conditions.REASON_NODES_FAILED);
    assertThat(status.condition(Conditions.PROGRESSING)).get().extracting(Condition::getStatus)
        .isEqualTo(Conditions.TRUE);
    assertThat(status).extracting(BpfWasmProgramStatus::getReadyNodes, BpfWasmProgramStatus::getFailedNodes,
        BpfWasmProgramStatus::getDesiredNodes).containsExactly(1, 1, 3);
  }

  @Test
  void pausedProgramIsReadyWhenNodesReportPaused() {
    var program = program(1, true);
    var status = StatusAggregator.aggregate(program, List.of("a"),
        Map.of("a", reported(program, NodeProgramPhase.PAUSED, null)), T0);
    assertThat(ready(status)).extracting(Condition::getStatus, Condition::getReason)
        .containsExactly(Conditions.TRUE, Conditions.REASON_PAUSED);
  }

  @Test
  void transitionTimeMovesOnlyWhenTheConditionStatusChanges() {
    var program = program(1, false);
    program.setStatus(StatusAggregator.aggregate(program, List.of("a"), Map.of(), T0));
    var stillRolling = StatusAggregator.aggregate(program, List.of("a", "b"), Map.of(), T1);
    assertThat(ready(stillRolling).getLastTransitionTime()).isEqualTo(T0.toString());
    var nowReady = StatusAggregator.aggregate(program, List.of("a"),
        Map.of("a", reported(program, NodeProgramPhase.RUNNING, TestResources.DIGEST_A)), T1);
    assertThat(ready(nowReady).getLastTransitionTime()).isEqualTo(T1.toString());
  }

  @Test
  void manyWaitingNodesAreSummarised() {
    var status = StatusAggregator.aggregate(program(1, false), List.of("n1", "n2", "n3", "n4", "n5", "n6", "n7"),
        Map.of(), T0);
    assertThat(ready(status).getMessage()).isEqualTo("0/7 nodes ready; waiting for n1, n2, n3, n4, n5 and 2 more");
  }

  static Condition ready(BpfWasmProgramStatus status) {
    return status.condition(Conditions.READY).orElseThrow();
  }

  static BpfWasmProgram program(long generation, boolean paused) {
    var program = TestResources.program("ns", "p", Map.of("role", "probe"), TestResources.DIGEST_A);
    program.getMetadata().setGeneration(generation);
    program.getSpec().setPaused(paused);
    return program;
  }

  static BpfWasmNodeProgram reported(BpfWasmProgram program, NodeProgramPhase phase, String digest) {
    var spec = new BpfWasmNodeProgramSpec();
    program.getSpec().copyTo(spec);
    spec.setProgramGeneration(program.getMetadata().getGeneration());
    var assignment = new BpfWasmNodeProgram();
    assignment.getMetadata().setGeneration(4L);
    assignment.setSpec(spec);
    var status = new BpfWasmNodeProgramStatus();
    status.setObservedGeneration(4L);
    status.setPhase(phase);
    status.setDigest(digest);
    assignment.setStatus(status);
    return assignment;
  }
}
