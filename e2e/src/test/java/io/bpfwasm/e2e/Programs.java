package io.bpfwasm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** BpfWasmProgram manifests for the tests: the checked-in samples with their placeholders filled, or built here. */
final class Programs {
  /** The placeholder digest of the samples in examples/. */
  static final String PLACEHOLDER_DIGEST = "sha256:" + "0".repeat(64);

  private Programs() {}

  /** examples/{@code name}.yaml with the module reference and digest filled in, as a user (and the demo) does. */
  static String sample(String name, LocalCluster.PushedModule module) {
    Path file = Repository.root().resolve("examples").resolve(name + ".yaml");
    try {
      String yaml = Files.readString(file);
      String placeholder = "registry.example.com/bpfwasm/" + name + ":latest";
      if (!yaml.contains(placeholder) || !yaml.contains(PLACEHOLDER_DIGEST)) {
        throw new IllegalStateException(file + " lacks the placeholders " + placeholder + " / " + PLACEHOLDER_DIGEST);
      }
      return yaml.replace(placeholder, module.reference()).replace(PLACEHOLDER_DIGEST, module.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  /** A program named {@code name} running {@code module} with {@code args} on the nodes {@code selector} picks. */
  static String program(String name, LocalCluster.PushedModule module, Map<String, String> selector,
      List<String> args) {
    String selectorYaml = selector.isEmpty() ? "{}" : selector.entrySet().stream()
        .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"").collect(Collectors.joining(", ", "{", "}"));
    String argsYaml = args.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", ", "[", "]"));
    return """
        apiVersion: bpfwasm.io/v1alpha1
        kind: BpfWasmProgram
        metadata:
          name: %s
        spec:
          module:
            oci:
              reference: %s
            digest: %s
          nodeSelector: %s
          args: %s
        """.formatted(name, module.reference(), module.digest(), selectorYaml, argsYaml);
  }

  /**
   * A copy of {@code wasm} with a custom section appended: the same program with a different sha256, to roll a new
   * digest out.
   */
  static Path withCustomSection(Path wasm, Path target, String payload) {
    byte[] name = "bpfwasm-e2e".getBytes(StandardCharsets.US_ASCII);
    byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
    int size = 1 + name.length + data.length;
    if (size > 127 || name.length > 127) {
      throw new IllegalArgumentException("payload too long for a one-byte LEB128 size");
    }
    try {
      byte[] original = Files.readAllBytes(wasm);
      var out = new java.io.ByteArrayOutputStream();
      out.write(original);
      out.write(0); // section id 0: custom
      out.write(size);
      out.write(name.length);
      out.write(name);
      out.write(data);
      Files.write(target, out.toByteArray());
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(wasm.toString(), e);
    }
  }
}
