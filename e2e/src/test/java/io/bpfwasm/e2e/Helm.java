package io.bpfwasm.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The helm CLI that helm/install-helm.sh puts in the cache. Each instance keeps helm's own cache, config and data
 * folders in a private directory, so tests neither read nor write the user's helm setup.
 */
final class Helm {
  private static final long TIMEOUT_SECONDS = 120;

  private final Path binary;
  private final Path home;

  private Helm(Path binary, Path home) {
    this.binary = binary;
    this.home = home;
  }

  /**
   * The binary from system property {@code bpfwasm.helm}, else environment variable {@code BPFWASM_HELM}, else
   * {@code ${BPFWASM_CACHE:-~/.cache/bpfwasm}/helm/current/helm}.
   *
   * @throws IllegalStateException naming helm/install-helm.sh when it is missing
   */
  static Helm locate(Path home) {
    String configured = System.getProperty("bpfwasm.helm", System.getenv("BPFWASM_HELM"));
    Path binary;
    if (configured != null && !configured.isBlank()) {
      binary = Path.of(configured);
    } else {
      String cache = System.getenv("BPFWASM_CACHE");
      Path root = cache != null && !cache.isBlank() ? Path.of(cache)
          : Path.of(System.getProperty("user.home"), ".cache", "bpfwasm");
      binary = root.resolve("helm").resolve("current").resolve("helm");
    }
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("helm binary " + binary + " is missing: run helm/install-helm.sh once (it"
          + " builds helm from the Go module proxy into the cache) or point -Dbpfwasm.helm / BPFWASM_HELM at one");
    }
    return new Helm(binary, home);
  }

  /** Runs {@code helm args...}; never throws for a non-zero exit. */
  CommandResult run(String... args) {
    return run(List.of(args));
  }

  CommandResult run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    return Commands.run(command, pb -> {
      pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
      pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
      pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
      // Only the kubeconfig passed with --kubeconfig counts, never the user's.
      pb.environment().remove("KUBECONFIG");
    }, TIMEOUT_SECONDS);
  }

  Path binary() {
    return binary;
  }
}
