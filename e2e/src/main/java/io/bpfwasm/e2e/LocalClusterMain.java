package io.bpfwasm.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar e2e/target/bpfwasm-local-cluster.jar --work-dir D [--node N]... [--push M.wasm]...}: starts a
 * {@link LocalCluster}, pushes the given modules, writes {@code D/cluster.env} (shell variables: KUBECONFIG,
 * BPFWASM_REGISTRY, BPFWASM_AGENT_LOG, BPFWASM_OPERATOR_LOG and per module BPFWASM_IMAGE_X / BPFWASM_DIGEST_X where X
 * is the file name without .wasm, upper-cased), then runs until SIGTERM or Ctrl-C and tears everything down.
 */
@Command(name = "local-cluster", mixinStandardHelpOptions = true,
    description = "Runs the whole bpfwasm system on this machine until SIGTERM or Ctrl-C.")
public final class LocalClusterMain implements Callable<Integer> {

  @Option(names = "--root", description = "Repository checkout (default: current directory)")
  Path root = Path.of("");

  @Option(names = "--work-dir", required = true, description = "Logs, registry storage, module caches, cluster.env")
  Path workDir;

  @Option(names = "--node", description = "Node name, repeatable (default: this machine's host name)")
  List<String> nodes = new ArrayList<>();

  @Option(names = "--push", paramLabel = "MODULE.wasm", description = "Module to push to the registry, repeatable")
  List<Path> modules = new ArrayList<>();

  @Option(names = "--stop-with", paramLabel = "PID",
      description = "Tear down and exit when this process (e.g. the calling script) is gone")
  Long stopWith;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalClusterMain()).execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (nodes.isEmpty()) {
      nodes.add(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT));
    }
    Path repo = root.toAbsolutePath().normalize();
    LocalCluster cluster = LocalCluster.start(repo, workDir.toAbsolutePath(),
        nodes.stream().map(n -> new LocalCluster.NodeSpec(n, Map.of())).toList());
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cluster.close();
      stopped.countDown();
    }, "local-cluster-main-shutdown"));

    StringBuilder env = new StringBuilder();
    env.append("KUBECONFIG=").append(cluster.kubeconfig()).append('\n');
    env.append("BPFWASM_REGISTRY=").append(cluster.registry()).append('\n');
    env.append("BPFWASM_NODES='").append(String.join(" ", cluster.nodes())).append("'\n");
    env.append("BPFWASM_AGENT_LOG=").append(cluster.agent(cluster.nodes().getFirst()).log()).append('\n');
    env.append("BPFWASM_OPERATOR_LOG=").append(cluster.operator().log()).append('\n');
    for (Path module : modules) {
      String name = module.getFileName().toString().replaceFirst("\\.wasm$", "");
      var pushed = cluster.push(module.toAbsolutePath(), name, "latest");
      String variable = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
      env.append("BPFWASM_IMAGE_").append(variable).append('=').append(pushed.reference()).append('\n');
      env.append("BPFWASM_DIGEST_").append(variable).append('=').append(pushed.digest()).append('\n');
    }
    // Written last and renamed into place: its presence means "ready".
    Path tmp = workDir.resolve("cluster.env.tmp");
    Files.writeString(tmp, env);
    Files.move(tmp, workDir.resolve("cluster.env"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    if (stopWith != null) {
      watchParent(stopWith);
    }
    stopped.await();
    return 0;
  }

  // A script that runs this in its own session (so a terminal's Ctrl-C reaches only the script, which then stops
  // the cluster in order) may itself be killed without cleaning up: then exit, which runs the teardown hook.
  private static void watchParent(long pid) {
    Thread.ofPlatform().daemon().name("stop-with-" + pid).start(() -> {
      while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
      System.exit(0);
    });
  }
}
