package io.bpfwasm.api.v1alpha1;

/**
 * Condition types and reasons of {@link BpfWasmProgramStatus}. Types are positive (kstatus): Ready=True when every
 * selected node runs the current spec; Progressing=True while nodes are still moving to it; Degraded=True when some
 * node failed.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";

  /** Every selected node runs the current spec and digest. */
  public static final String REASON_ALL_NODES_READY = "AllNodesReady";
  /** The nodeSelector matches no Node. */
  public static final String REASON_NO_MATCHING_NODES = "NoMatchingNodes";
  /** Some selected nodes have not yet reported the current spec. */
  public static final String REASON_ROLLING_OUT = "RollingOut";
  /** At least one selected node reports a failure. */
  public static final String REASON_NODES_FAILED = "NodesFailed";
  /** spec.paused is true: nodes keep assignments but run nothing. */
  public static final String REASON_PAUSED = "Paused";
  /** Nothing is in progress. */
  public static final String REASON_UP_TO_DATE = "UpToDate";
  /** No node reports a failure. */
  public static final String REASON_NO_FAILURES = "NoFailures";
  /** The program is being deleted; nodes are cleaning up. */
  public static final String REASON_DELETING = "Deleting";

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private Conditions() {}
}
