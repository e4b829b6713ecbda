package io.bpfwasm.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Written only by the operator's status aggregator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BpfWasmProgramStatus {
  private Long observedGeneration;
  private List<Condition> conditions = new ArrayList<>();
  private int desiredNodes;
  private int readyNodes;
  private int failedNodes;
  private String nodes;
  private String digest;
  private String shortDigest;

  /** The metadata.generation this status describes; Ready is only meaningful when it equals the generation. */
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  /** Ready, Progressing, Degraded (see {@link Conditions}). */
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  /** Nodes the selector matches. */
  public int getDesiredNodes() { return desiredNodes; }
  public void setDesiredNodes(int desiredNodes) { this.desiredNodes = desiredNodes; }
  /** Nodes running the current spec. */
  public int getReadyNodes() { return readyNodes; }
  public void setReadyNodes(int readyNodes) { this.readyNodes = readyNodes; }
  /** Nodes reporting a failure. */
  public int getFailedNodes() { return failedNodes; }
  public void setFailedNodes(int failedNodes) { this.failedNodes = failedNodes; }
  /** "ready/desired", for kubectl's Nodes column. */
  public String getNodes() { return nodes; }
  public void setNodes(String nodes) { this.nodes = nodes; }
  /** The module digest the ready nodes run (the most common one while a new digest rolls out). */
  public String getDigest() { return digest; }
  public void setDigest(String digest) { this.digest = digest; }
  /** The first 12 hex digits of {@link #getDigest()}, for kubectl's Digest column. */
  public String getShortDigest() { return shortDigest; }
  public void setShortDigest(String shortDigest) { this.shortDigest = shortDigest; }

  public Optional<Condition> condition(String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
