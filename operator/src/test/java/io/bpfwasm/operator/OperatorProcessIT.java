package io.bpfwasm.operator;

import static io.bpfwasm.operator.TestResources.DIGEST_A;
import static io.bpfwasm.operator.TestResources.assignedNodes;
import static io.bpfwasm.operator.TestResources.createNode;
import static io.bpfwasm.operator.TestResources.program;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.testing.ControlPlaneExtension;
import io.bpfwasm.testing.LocalControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The packaged operator jar, run as a process the way a container runs it: flags, probes, metrics, JSON logs. */
@ExtendWith(ControlPlaneExtension.class)
class OperatorProcessIT {
  static final String NS = "process-it";
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void runsFromTheJarWithProbesMetricsAndJsonLogs(LocalControlPlane plane) throws Exception {
    KubernetesClient client = plane.client();
    TestResources.createNamespace(client, NS);
    Path jar = Path.of("target", "bpfwasm-operator.jar");
    assertThat(jar).as("built by the package phase").exists();
    int port = freePort();
    Path log = Files.createTempFile("operator-", ".log");
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(),
        "--kubeconfig=" + plane.kubeconfig(), "--namespaces=" + NS, "--lease-namespace=" + NS,
        "--identity=process-it", "--http-address=127.0.0.1:" + port, "--log-format=json")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
        assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
        assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(http, base + "/readyz").statusCode()).isEqualTo(200);
      });

      createNode(client, "process-node", Map.of("case", "process"));
      client.resource(program(NS, "from-jar", Map.of("case", "process"), DIGEST_A)).create();
      await().atMost(TIMEOUT).until(() -> assignedNodes(client, NS, "from-jar").equals(List.of("process-node")));

      String metrics = get(http, base + "/metrics").body();
      assertThat(metrics).contains("bpfwasm_operator_leader{identity=\"process-it\"} 1.0")
          .contains("operator_sdk_reconciliations").contains("jvm_memory_used_bytes");
      List<String> lines = Files.readAllLines(log);
      assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
      assertThat(lines).anySatisfy(line -> assertThat(line).contains("from-jar: 1 assignment create(s)"));
    } finally {
      process.destroy();
      boolean exited = process.waitFor(20, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      assertThat(exited).as("exits on SIGTERM").isTrue();
      Files.deleteIfExists(log);
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
