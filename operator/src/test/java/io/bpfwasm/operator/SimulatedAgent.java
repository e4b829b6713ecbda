package io.bpfwasm.operator;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramStatus;
import io.bpfwasm.api.v1alpha1.Labels;
import io.bpfwasm.api.v1alpha1.NodeProgramPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what a node agent writes, the way it writes it: its finalizer on an assignment it runs, and status as a
 * patch of the status subresource. Tests and the scale benchmark use it in place of real agents.
 */
public final class SimulatedAgent {
  private final KubernetesClient client;
  private final String node;

  public SimulatedAgent(KubernetesClient client, String node) {
    this.client = client;
    this.node = node;
  }

  /** This node's assignments (by the node label, as an agent selects them). */
  public List<BpfWasmNodeProgram> assignments(String namespace) {
    return client.resources(BpfWasmNodeProgram.class).inNamespace(namespace)
        .withLabel(Labels.NODE, Labels.valueFor(node)).list().getItems();
  }

  /** Takes the agent finalizer on the assignment, as an agent does before loading anything. */
  public void holdFinalizer(BpfWasmNodeProgram assignment) {
    client.resource(assignment).edit(current -> {
      if (current.getMetadata().getFinalizers() == null) {
        current.getMetadata().setFinalizers(new ArrayList<>());
      }
      if (!current.getMetadata().getFinalizers().contains(Labels.AGENT_FINALIZER)) {
        current.getMetadata().getFinalizers().add(Labels.AGENT_FINALIZER);
      }
      return current;
    });
  }

  /** Releases the agent finalizer, as an agent does after unloading the program. */
  public void releaseFinalizer(BpfWasmNodeProgram assignment) {
    client.resource(assignment).edit(current -> {
      current.getMetadata().getFinalizers().remove(Labels.AGENT_FINALIZER);
      return current;
    });
  }

  /** Reports the assignment's current spec running, with its digest. */
  public void reportRunning(BpfWasmNodeProgram assignment) {
    report(assignment, NodeProgramPhase.RUNNING, null);
  }

  /** Reports a failure of the assignment's current spec. */
  public void reportFailed(BpfWasmNodeProgram assignment, String message, String verifierLog) {
    report(assignment, NodeProgramPhase.FAILED,
        new BpfWasmNodeProgramStatus.LastError(message, verifierLog, Instant.now().toString()));
  }

  private void report(BpfWasmNodeProgram assignment, NodeProgramPhase phase,
      BpfWasmNodeProgramStatus.LastError error) {
    var status = new BpfWasmNodeProgramStatus();
    status.setObservedGeneration(assignment.getMetadata().getGeneration());
    status.setPhase(phase);
    if (phase == NodeProgramPhase.RUNNING) {
      status.setDigest(assignment.getSpec().getModule().getDigest());
      status.setProgramIds(List.of(101L, 102L));
      status.setLinkIds(List.of(7L));
      status.setMapIds(List.of(55L));
      status.setStartedAt(Instant.now().toString());
    } else {
      status.setRestarts(1);
    }
    status.setLastError(error);
    status.setUpdatedAt(Instant.now().toString());
    var patch = new BpfWasmNodeProgram();
    patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(assignment.getMetadata().getName())
        .withNamespace(assignment.getMetadata().getNamespace())
        .build());
    patch.setStatus(status);
    // A merge patch of the status subresource: the agent owns status and never touches spec or metadata here.
    client.resources(BpfWasmNodeProgram.class).inNamespace(assignment.getMetadata().getNamespace())
        .withName(assignment.getMetadata().getName()).patchStatus(patch);
  }

  public String node() {
    return node;
  }
}
