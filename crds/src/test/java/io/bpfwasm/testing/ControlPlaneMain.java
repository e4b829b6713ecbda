package io.bpfwasm.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link LocalControlPlane} (with the bpfwasm CRDs and kube-controller-manager) until interrupted, for trying
 * the operator or agent by hand:
 *
 * <pre>
 * mvn -q -pl crds test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.bpfwasm.testing.ControlPlaneMain -Dexec.args=/tmp/bpfwasm.kubeconfig
 * </pre>
 *
 * The optional argument is where to copy the kubeconfig (valid while this runs).
 */
public final class ControlPlaneMain {
  private ControlPlaneMain() {}

  public static void main(String[] args) throws Exception {
    LocalControlPlane plane = LocalControlPlane.start();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      plane.close();
      stopped.countDown();
    }, "control-plane-main-shutdown"));
    plane.installBpfWasmCrds();
    plane.startControllerManager();
    Path kubeconfig = plane.kubeconfig();
    if (args.length > 0) {
      kubeconfig = Files.copy(kubeconfig, Path.of(args[0]), StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println("control plane running at " + plane.url() + "; stop with Ctrl-C");
    System.out.println("export KUBECONFIG=" + kubeconfig.toAbsolutePath());
    stopped.await();
  }
}
