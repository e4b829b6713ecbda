package io.bpfwasm.operator.status;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.NodeProgramPhase;
import java.util.Objects;

/** Where one selected node stands with the program's current generation, judged from its assignment. */
public enum NodeState {
  /** The agent reports the current spec running (or paused, when the program is paused). */
  READY,
  /** The agent reports a failure of the current spec. */
  FAILED,
  /** Anything else: no assignment yet, an older spec, or the agent has not reported on this one yet. */
  PROGRESSING;

  public static NodeState of(BpfWasmProgram program, BpfWasmNodeProgram assignment) {
    if (assignment == null || assignment.getMetadata().getDeletionTimestamp() != null
        || !Objects.equals(assignment.getSpec().getProgramGeneration(), program.getMetadata().getGeneration())) {
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
