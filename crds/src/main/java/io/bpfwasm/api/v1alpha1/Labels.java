package io.bpfwasm.api.v1alpha1;

/** Label and finalizer names shared by the operator and the agents. */
public final class Labels {
  /** On a {@link BpfWasmNodeProgram}: the name of the program it belongs to. */
  public static final String PROGRAM = "bpfwasm.io/program";
  /** On a {@link BpfWasmNodeProgram}: the node that runs it; agents watch with this label as selector. */
  public static final String NODE = "bpfwasm.io/node";
  /** Held on a {@link BpfWasmNodeProgram} by the agent while the program is loaded on its node. */
  public static final String AGENT_FINALIZER = "bpfwasm.io/agent-cleanup";
  /** Held on a {@link BpfWasmProgram} by the operator until every node has cleaned up. */
  public static final String OPERATOR_FINALIZER = "bpfwasm.io/operator-cleanup";

  private Labels() {}
}
