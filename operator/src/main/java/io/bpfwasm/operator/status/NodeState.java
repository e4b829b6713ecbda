package io.bpfwasm.operator.status;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.NodeProgramPhase;
import java.util.Objects;

/**
 * Where one selected node stands, judged from its assignment, which the caller has checked to carry the program's
 * current run spec.
 */
public enum NodeState {
  /** The agent reports the current spec running (or paused, when the program is paused). */
  READY,
  /** The agent reports a failure of the current spec. */
  FAILED,
  /** Anything else: no current assignment yet, or the agent has not reported on its current generation. */
  PROGRESSING;

  public static NodeState of(BpfWasmProgram program, BpfWasmNodeProgram assignment) {
    if (assignment == null || assignment.getMetadata().getDeletionTimestamp() != null) {
      return PROGRESSING;
    }
    var status = assignment.getStatus();
    if (status == null || status.getPhase() == null
        || !Objects.equals(status.getObservedGeneration(), assignment.getMetadata().getGeneration())) {
      return PROGRESSING;
    }
    if (status.getPhase() == NodeProgramPhase.FAILED) {
      return FAILED;
    }
    boolean paused = program.getSpec().isPaused();
    if (paused && status.getPhase() == NodeProgramPhase.PAUSED) {
      return READY;
    }
    if (!paused && status.getPhase() == NodeProgramPhase.RUNNING
        && Objects.equals(status.getDigest(), program.getSpec().getModule().getDigest())) {
      return READY;
    }
    return PROGRESSING;
  }
}
