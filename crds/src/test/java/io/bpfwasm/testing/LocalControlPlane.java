package io.bpfwasm.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on 127.0.0.1: etcd and kube-apiserver (and, on request, kube-controller-manager
 * for garbage collection and namespace deletion) started as child processes from the binaries that
 * e2e/controlplane/build.sh builds. Everything lives in a temporary directory that {@link #close()} removes.
 *
 * <p>Clients authenticate with a static bearer token in group system:masters; the apiserver serves a self-signed
 * certificate, which clients trust through {@link #caFile()}. {@link #kubeconfig()} is a kubeconfig file for kubectl
 * and other processes.
 */
public final class LocalControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalControlPlane.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
  // Test data is disposable and fsync only slows every write down; -Dbpfwasm.etcd.fsync=true measures with it.
  private static final boolean ETCD_FSYNC = Boolean.getBoolean("bpfwasm.etcd.fsync");
  /** How etcd treats its disk, for benchmark output: "fsync" or "--unsafe-no-fsync". */
  public static final String ETCD_DURABILITY = ETCD_FSYNC ? "fsync" : "--unsafe-no-fsync";

  private final ControlPlaneBinaries binaries;
  private final Path workDir;
  private final String token;
  private final List<ManagedProcess> processes = new ArrayList<>();
  // If the JVM exits without close() (a killed test run), still stop the children and remove the work directory.
  private final Thread shutdownHook = new Thread(this::stopAndRemoveFiles, "control-plane-shutdown");
  private int apiserverPort;
  private KubernetesClient client;

  private LocalControlPlane(ControlPlaneBinaries binaries, Path workDir) {
    this.binaries = binaries;
    this.workDir = workDir;
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.token = HexFormat.of().formatHex(random);
  }

  /**
   * Starts etcd and kube-apiserver and waits until the apiserver is ready. The ports are free when chosen but another
   * process may take one before etcd or the apiserver binds it; such a start is retried with new ports.
   */
  public static LocalControlPlane start() {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce();
      } catch (RuntimeException e) {
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("address already in use")) {
          throw e;
        }
      }
    }
  }

  private static LocalControlPlane startOnce() {
    ControlPlaneBinaries binaries = ControlPlaneBinaries.locate();
    LocalControlPlane plane;
    try {
      plane = new LocalControlPlane(binaries, Files.createTempDirectory("bpfwasm-controlplane-"));
    } catch (IOException e) {
      throw new UncheckedIOException("control plane: cannot create its work directory", e);
    }
    Runtime.getRuntime().addShutdownHook(plane.shutdownHook);
    try {
      plane.startEtcdAndApiserver();
      return plane;
    } catch (RuntimeException | IOException e) {
      plane.close();
      throw e instanceof RuntimeException r ? r : new UncheckedIOException("control plane: " + e.getMessage(),
          (IOException) e);
    }
  }

  private void startEtcdAndApiserver() throws IOException {
    Instant begin = Instant.now();
    int[] ports = LoopbackPorts.free(3);
    int etcdClientPort = ports[0];
    int etcdPeerPort = ports[1];
    apiserverPort = ports[2];
    String etcdUrl = "http://127.0.0.1:" + etcdClientPort;
    String peerUrl = "http://127.0.0.1:" + etcdPeerPort;
    List<String> etcdCommand = new ArrayList<>(List.of(binaries.path(ControlPlaneBinaries.ETCD).toString(),
        "--name=test", "--data-dir=" + workDir.resolve("etcd"),
        "--listen-client-urls=" + etcdUrl, "--advertise-client-urls=" + etcdUrl,
        "--listen-peer-urls=" + peerUrl, "--initial-advertise-peer-urls=" + peerUrl,
        "--initial-cluster=test=" + peerUrl, "--listen-metrics-urls=", "--log-level=warn"));
    if (!ETCD_FSYNC) {
      etcdCommand.add("--unsafe-no-fsync");
    }
    ManagedProcess etcd = launch("etcd", etcdCommand);

    writeServiceAccountKeys();
    // token,user,uid,"groups": system:masters passes every RBAC check.
    Files.writeString(workDir.resolve("tokens.csv"), token + ",bpfwasm-admin,bpfwasm-admin,\"system:masters\"\n");
    ManagedProcess apiserver = launch("kube-apiserver", List.of(
        binaries.path(ControlPlaneBinaries.KUBE_APISERVER).toString(),
        "--etcd-servers=" + etcdUrl,
        "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--secure-port=" + apiserverPort,
        "--cert-dir=" + workDir.resolve("certs"),
        "--token-auth-file=" + workDir.resolve("tokens.csv"),
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=" + workDir.resolve("sa.pub"),
        "--service-account-signing-key-file=" + workDir.resolve("sa.key"),
        "--service-cluster-ip-range=10.0.0.0/24",
        "--disable-admission-plugins=ServiceAccount",
        "--allow-privileged=true"));

    awaitReady(etcd, apiserver);
    writeKubeconfig();
    log.info("control plane ready at {} in {} ms (work dir {})", url(), Duration.between(begin, Instant.now())
        .toMillis(), workDir);
  }

  /**
   * Starts kube-controller-manager with the garbage collector and namespace controller, for tests that need
   * owner-reference cascades or namespace deletion to finish.
   */
  public void startControllerManager() {
    try {
      launch("kube-controller-manager", List.of(
          binaries.path(ControlPlaneBinaries.KUBE_CONTROLLER_MANAGER).toString(),
          "--kubeconfig=" + kubeconfig(), "--authentication-kubeconfig=" + kubeconfig(),
          "--authorization-kubeconfig=" + kubeconfig(),
          "--bind-address=127.0.0.1", "--secure-port=" + LoopbackPorts.free(),
          "--controllers=garbagecollector,namespace,serviceaccount,serviceaccount-token",
          "--service-account-private-key-file=" + workDir.resolve("sa.key"),
          "--root-ca-file=" + caFile(),
          "--leader-elect=false", "--use-service-account-credentials=false"));
    } catch (IOException e) {
      throw new UncheckedIOException("kube-controller-manager: cannot start", e);
    }
  }

  private ManagedProcess launch(String name, List<String> command) throws IOException {
    ManagedProcess process = ManagedProcess.start(name, command, workDir.resolve(name + ".log"));
    processes.add(process);
    return process;
  }

  private void awaitReady(ManagedProcess etcd, ManagedProcess apiserver) {
    HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest readyz = HttpRequest.newBuilder(java.net.URI.create(url() + "/readyz"))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build();
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    String last = "no answer yet";
    while (Instant.now().isBefore(deadline)) {
      etcd.checkAlive();
      apiserver.checkAlive();
      try {
        HttpResponse<String> response = http.send(readyz, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && Files.exists(caFile())) {
          return;
        }
        last = "HTTP " + response.statusCode() + ": " + response.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for kube-apiserver", e);
      }
      pause(200);
    }
    throw new IllegalStateException("kube-apiserver not ready after " + STARTUP_TIMEOUT.toSeconds() + " s (" + last
        + "); last log lines:\n" + apiserver.tail(40));
  }

  private void writeServiceAccountKeys() throws IOException {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      pair = generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is always available", e);
    }
    Files.writeString(workDir.resolve("sa.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(workDir.resolve("sa.pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private void writeKubeconfig() throws IOException {
    writeKubeconfig(kubeconfig(), "admin", token);
  }

  /**
   * Writes a kubeconfig for this apiserver that authenticates as {@code user} with a bearer token (e.g. one
   * {@code kubectl create token} issued for a ServiceAccount).
   */
  public Path writeKubeconfig(Path file, String user, String bearerToken) throws IOException {
    return Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: local
          context:
            cluster: local
            user: %s
            namespace: default
        current-context: local
        """.formatted(url(), caFile(), user, bearerToken, user));
  }

  /** https://127.0.0.1:port of the apiserver. */
  public String url() {
    return "https://127.0.0.1:" + apiserverPort;
  }

  /** The bearer token of the system:masters test user. */
  public String token() {
    return token;
  }

  /** The PEM bundle that verifies the apiserver's self-signed serving certificate. */
  public Path caFile() {
    return workDir.resolve("certs").resolve("apiserver.crt");
  }

  /** A kubeconfig for this control plane (for kubectl and child processes). */
  public Path kubeconfig() {
    return workDir.resolve("kubeconfig");
  }

  /** The folder holding kubectl and the other binaries. */
  public ControlPlaneBinaries binaries() {
    return binaries;
  }

  /** A fresh fabric8 client configuration for this control plane (each caller may adjust its copy). */
  public Config config() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withCaCertFile(caFile().toString())
        .withOauthToken(token)
        .withNamespace("default")
        .withRequestTimeout(30_000)
        .build();
  }

  /** A client shared by the caller's tests; closed with the control plane. */
  public synchronized KubernetesClient client() {
    if (client == null) {
      client = new KubernetesClientBuilder().withConfig(config()).build();
    }
    return client;
  }

  /**
   * Creates (or replaces) the bpfwasm CRDs from the YAML that the crd generator put on the classpath and waits until
   * the apiserver serves them.
   */
  public void installBpfWasmCrds() {
    for (String plural : List.of("bpfwasmprograms", "bpfwasmnodeprograms")) {
      String resource = "META-INF/fabric8/" + plural + ".bpfwasm.io-v1.yml";
      try (InputStream yaml = LocalControlPlane.class.getClassLoader().getResourceAsStream(resource)) {
        if (yaml == null) {
          throw new IllegalStateException(resource + " is not on the classpath (build the crds module first)");
        }
        CustomResourceDefinition crd = client().getKubernetesSerialization().unmarshal(yaml,
            CustomResourceDefinition.class);
        client().apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
        client().apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
            .waitUntilCondition(LocalControlPlane::established, 30, TimeUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException(resource, e);
      }
    }
  }

  private static boolean established(HasMetadata resource) {
    return resource instanceof CustomResourceDefinition crd && crd.getStatus() != null
        && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Runs kubectl against this control plane; returns its exit code, stdout+stderr. */
  public KubectlResult kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binaries.path(ControlPlaneBinaries.KUBECTL).toString());
    command.add("--kubeconfig=" + kubeconfig());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new KubectlResult(process.waitFor(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("kubectl " + String.join(" ", args), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running kubectl", e);
    }
  }

  /** What a kubectl run printed and how it exited. */
  public record KubectlResult(int exitCode, String output) {}

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
    }
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run; nothing to remove
    }
    deleteRecursively(workDir);
    log.info("control plane at {} stopped", url());
  }

  // Synchronized with close(): the shutdown hook and a close() from another hook may run at the same time.
  private synchronized void stopAndRemoveFiles() {
    stopProcesses();
    deleteRecursively(workDir);
  }

  private synchronized void stopProcesses() {
    // Reverse start order: clients of etcd first, etcd last.
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    processes.clear();
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return; // already removed (close() after the shutdown hook, or twice)
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("control plane: cannot remove {}: {}", dir, e.toString());
    }
  }

  // Only for the readiness probe: the CA file appears during apiserver startup, after which clients verify it.
  private static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new X509TrustManager() {
        @Override public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}
        @Override public java.security.cert.X509Certificate[] getAcceptedIssuers() {
          return new java.security.cert.X509Certificate[0];
        }
      }}, new SecureRandom());
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("TLS context", e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
