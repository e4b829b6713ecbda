package io.bpfwasm.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths inside the repository checkout the tests run from. */
final class Repository {
  private Repository() {}

  /** The checkout's root: system property {@code bpfwasm.root} (set by the pom), else the parent of e2e/. */
  static Path root() {
    String configured = System.getProperty("bpfwasm.root");
    Path root = (configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..")).toAbsolutePath()
        .normalize();
    if (!Files.isDirectory(root.resolve("helm").resolve("bpfwasm"))) {
      throw new IllegalStateException("repository root " + root + " has no helm/bpfwasm chart");
    }
    return root;
  }

  static Path chart() {
    return root().resolve("helm").resolve("bpfwasm");
  }
}
