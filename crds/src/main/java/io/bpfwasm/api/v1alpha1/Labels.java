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

  private static final int MAX_LABEL_VALUE = 63;

  /**
   * The label value that stands for an object name: the name itself when it fits a label value (63 characters),
   * otherwise its first 54 characters, '-' and 8 hex digits of its sha256, so different long names stay different.
   */
  public static String valueFor(String name) {
    if (name.length() <= MAX_LABEL_VALUE) {
      return name;
    }
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String prefix = name.substring(0, 54);
      // A label value must end alphanumeric; names only contain [a-z0-9.-].
      while (!prefix.isEmpty() && !Character.isLetterOrDigit(prefix.charAt(prefix.length() - 1))) {
        prefix = prefix.substring(0, prefix.length() - 1);
      }
      return prefix + "-" + java.util.HexFormat.of().formatHex(hash, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private Labels() {}
}
