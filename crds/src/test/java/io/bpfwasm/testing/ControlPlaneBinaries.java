package io.bpfwasm.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the control plane binaries that e2e/controlplane/build.sh built. */
public final class ControlPlaneBinaries {
  public static final String ETCD = "etcd";
  public static final String KUBE_APISERVER = "kube-apiserver";
  public static final String KUBE_CONTROLLER_MANAGER = "kube-controller-manager";
  public static final String KUBECTL = "kubectl";

  private final Path dir;

  private ControlPlaneBinaries(Path dir) {
    this.dir = dir;
  }

  /**
   * The directory from system property {@code bpfwasm.controlplane.bin}, else environment variable
   * {@code BPFWASM_CONTROLPLANE_BIN}, else {@code ${BPFWASM_CACHE:-~/.cache/bpfwasm}/k8s/current}.
   *
   * @throws IllegalStateException naming build.sh when a binary is missing
   */
  public static ControlPlaneBinaries locate() {
    String configured = System.getProperty("bpfwasm.controlplane.bin", System.getenv("BPFWASM_CONTROLPLANE_BIN"));
    Path dir;
    if (configured != null && !configured.isBlank()) {
      dir = Path.of(configured);
    } else {
      String cache = System.getenv("BPFWASM_CACHE");
      Path root = cache != null && !cache.isBlank() ? Path.of(cache)
          : Path.of(System.getProperty("user.home"), ".cache", "bpfwasm");
      dir = root.resolve("k8s").resolve("current");
    }
    ControlPlaneBinaries binaries = new ControlPlaneBinaries(dir);
    for (String name : new String[] {ETCD, KUBE_APISERVER, KUBE_CONTROLLER_MANAGER, KUBECTL}) {
      binaries.path(name);
    }
    return binaries;
  }

  /** The executable {@code name}, checked to exist. */
  public Path path(String name) {
    Path binary = dir.resolve(name);
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("control plane binary " + binary + " is missing: run e2e/controlplane/build.sh"
          + " once (it builds etcd, kube-apiserver, kube-controller-manager and kubectl from Go modules, ~20 min"
          + " the first time) or point -Dbpfwasm.controlplane.bin / BPFWASM_CONTROLPLANE_BIN at a folder holding them");
    }
    return binary;
  }

  public Path dir() {
    return dir;
  }
}
