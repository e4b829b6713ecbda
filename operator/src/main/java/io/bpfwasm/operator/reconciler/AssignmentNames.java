package io.bpfwasm.operator.reconciler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of {@link io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram} objects: "{program}-{node}-{hash}", where the hash of
 * both names keeps ("a-b", "c") and ("a", "b-c") apart and the whole stays a valid object name (253 characters).
 */
public final class AssignmentNames {
  private static final int MAX_NAME = 253;
  private static final int HASH_HEX = 8;

  private AssignmentNames() {}

  public static String nameFor(String program, String node) {
    String hash = shortHash(program + "/" + node);
    String base = program + "-" + node;
    int room = MAX_NAME - HASH_HEX - 1;
    if (base.length() > room) {
      base = base.substring(0, room);
      // Each dot-separated part of a name must end alphanumeric, so a cut must not end on '.' or '-'.
      while (base.endsWith(".") || base.endsWith("-")) {
        base = base.substring(0, base.length() - 1);
      }
    }
    return base + "-" + hash;
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, HASH_HEX / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
