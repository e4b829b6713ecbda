package io.bpfwasm.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The operator's command line: every flag has an environment variable and a default that works in a cluster. */
@Command(name = "bpfwasm-operator", mixinStandardHelpOptions = true, version = "bpfwasm-operator 0.1.0",
    description = "Reconciles BpfWasmProgram objects into per-node BpfWasmNodeProgram assignments.")
public final class OperatorMain implements Callable<Integer> {

  @Option(names = "--kubeconfig",
      description = "kubeconfig file; default: $KUBECONFIG, else in-cluster service account, else ~/.kube/config")
  Path kubeconfig;

  @Option(names = "--namespaces", split = ",", defaultValue = "${env:BPFWASM_NAMESPACES}",
      description = "Comma-separated namespaces to watch; default: all (env BPFWASM_NAMESPACES)")
  List<String> namespaces;

  @Option(names = "--leader-election", negatable = true, defaultValue = "${env:BPFWASM_LEADER_ELECTION:-true}",
      fallbackValue = "true", description = "Run only while holding the leader Lease (default ${DEFAULT-VALUE})")
  boolean leaderElection;

  @Option(names = "--lease-name", defaultValue = "${env:BPFWASM_LEASE_NAME:-bpfwasm-operator}",
      description = "Leader Lease name (default ${DEFAULT-VALUE})")
  String leaseName;

  @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE:-default}",
      description = "Namespace of the leader Lease (default: $POD_NAMESPACE, else ${DEFAULT-VALUE})")
  String leaseNamespace;

  @Option(names = "--identity", defaultValue = "${env:POD_NAME}",
      description = "This instance's name in the Lease (default: $POD_NAME, else the host name plus a random suffix)")
  String identity;

  @Option(names = "--http-address", defaultValue = "${env:BPFWASM_HTTP_ADDRESS:-0.0.0.0:8080}",
      description = "host:port for /healthz, /readyz and /metrics (default ${DEFAULT-VALUE})")
  String httpAddress;

  @Option(names = "--workers", defaultValue = "${env:BPFWASM_WORKERS:-10}",
      description = "Concurrent reconciliations (default ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--log-format", defaultValue = "${env:BPFWASM_LOG_FORMAT:-text}",
      description = "text or json (one JSON object per line) (default ${DEFAULT-VALUE})")
  String logFormat;

  public static void main(String[] args) {
    System.exit(new CommandLine(new OperatorMain()).execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--log-format must be text or json");
    }
    // logback.xml picks its appender from this property; set before the first logger is created.
    System.setProperty("BPFWASM_LOG_FORMAT", logFormat);
    var log = LoggerFactory.getLogger(OperatorMain.class);

    String name = identity != null && !identity.isBlank() ? identity : hostName() + "-" + UUID.randomUUID()
        .toString().substring(0, 8);
    OperatorSettings settings = OperatorSettings.defaults(name, leaseNamespace)
        .withLeaseName(leaseName)
        .withLeaderElection(leaderElection)
        .withNamespaces(namespaces == null ? Set.of() : Set.copyOf(namespaces.stream()
            .map(String::trim).filter(s -> !s.isEmpty()).toList()))
        .withWorkers(workers);

    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);

    KubernetesClient client = OperatorClients.create(clientConfig());
    BpfWasmOperator operator = BpfWasmOperator.start(client, settings, registry);
    HealthServer health = HealthServer.start(parseAddress(httpAddress), operator::isLive, operator::isReady, registry);
    log.info("health and metrics on http://{}:{}/ (healthz, readyz, metrics)",
        health.address().getHostString(), health.address().getPort());

    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down");
      health.close();
      operator.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }

  private Config clientConfig() throws IOException {
    if (kubeconfig != null) {
      return Config.fromKubeconfig(Files.readString(kubeconfig));
    }
    return Config.autoConfigure(null);
  }

  static InetSocketAddress parseAddress(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--http-address must be host:port, got \"" + hostPort + "\"");
    }
    String host = hostPort.substring(0, colon);
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  private static String hostName() {
    String host = System.getenv("HOSTNAME");
    return host != null && !host.isBlank() ? host : "bpfwasm-operator";
  }
}
