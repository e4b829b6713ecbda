package io.bpfwasm.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfwasm.testing.LocalControlPlane;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Stands in for the node agents of every node in the scale benchmark: each new assignment generation gets the status
 * a real agent writes once its guest runs, sent the way the agent sends it (a JSON merge patch of the status
 * subresource, at most 64 in flight, as 500 agents would answer in parallel).
 *
 * <p>Real agents run on 500 other machines; here they share two cores with the apiserver and the operator. So the
 * fleet is deliberately lean: one watch read as raw lines, three fields taken from each event, no typed client, and
 * the TLS cipher that is cheapest for a JVM (see {@link #preferChaCha20}). What the apiserver receives is the same as
 * from real agents; only the cost of simulating them on this machine shrinks.
 */
final class SimulatedAgentFleet implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCE = "/apis/bpfwasm.io/v1alpha1/namespaces/%s/bpfwasmnodeprograms";

  private final LocalControlPlane plane;
  private final String namespace;
  private final HttpClient http;
  private final ExecutorService reader = Executors.newSingleThreadExecutor();
  private final Semaphore inFlight = new Semaphore(64);
  private final Set<String> assignmentsSeen = ConcurrentHashMap.newKeySet();
  private final AtomicLong reports = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile String resourceVersion = "";
  private volatile boolean closed;

  SimulatedAgentFleet(LocalControlPlane plane, String namespace) throws IOException, GeneralSecurityException {
    this.plane = plane;
    this.namespace = namespace;
    this.http = HttpClient.newBuilder().sslContext(trusting(plane)).sslParameters(preferChaCha20())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Starts watching the namespace's assignments on a thread of its own. */
  SimulatedAgentFleet start() {
    reader.submit(this::watchUntilClosed);
    return this;
  }

  /**
   * Watches like an informer: the apiserver ends a watch whenever it likes, so each new watch resumes from the last
   * resourceVersion seen; if that is too old (an ERROR event), it starts over from the current state. Answered
   * assignments are recognised by their status, so seeing one twice does no harm.
   */
  private void watchUntilClosed() {
    while (!closed) {
      try (InputStream body = openWatch(resourceVersion);
          Stream<String> lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)).lines()) {
        lines.forEach(this::onEvent);
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          System.out.printf("bench: simulated agents' watch failed, watching again: %s%n", e);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  // The apiserver answers 429 while the watch cache of a new CRD is still initialising, and says when to come back.
  private InputStream openWatch(String fromVersion) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(plane.url() + RESOURCE.formatted(namespace)
            + "?watch=1&allowWatchBookmarks=true" + (fromVersion.isEmpty() ? "" : "&resourceVersion=" + fromVersion)))
        .header("Authorization", "Bearer " + plane.token()).GET().build();
    while (true) {
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() == 200) {
        return response.body();
      }
      response.body().close();
      if (response.statusCode() != 429) {
        throw new IOException("watch of assignments: HTTP " + response.statusCode());
      }
      Thread.sleep(1000L * response.headers().firstValueAsLong("Retry-After").orElse(1));
    }
  }

  long assignmentsSeen() {
    return assignmentsSeen.size();
  }

  long reports() {
    return reports.get();
  }

  long failures() {
    return failures.get();
  }

  private void onEvent(String line) {
    try {
      JsonNode event = JSON.readTree(line);
      String type = event.path("type").asText();
      JsonNode assignment = event.path("object");
      if (type.equals("ERROR")) {
        resourceVersion = ""; // too old to resume from: start over from the current state
        return;
      }
      resourceVersion = assignment.path("metadata").path("resourceVersion").asText(resourceVersion);
      if (!type.equals("ADDED") && !type.equals("MODIFIED")) {
        return;
      }
      String name = assignment.path("metadata").path("name").asText();
      assignmentsSeen.add(name);
      long generation = assignment.path("metadata").path("generation").asLong();
      if (assignment.path("status").path("observedGeneration").asLong(-1) == generation) {
        return; // already answered
      }
      inFlight.acquire();
      reportRunning(name, generation, assignment.path("spec").path("module").path("digest").asText())
          .whenComplete((ok, error) -> inFlight.release());
    } catch (IOException e) {
      failures.incrementAndGet();
      System.out.printf("bench: simulated agents cannot read a watch event: %s%n", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("simulated agents stopped", e);
    }
  }

  // The body a node agent's StatusWriter sends once the guest runs: ids of what it loaded, and explicit nulls for
  // what a merge patch must clear.
  private CompletableFuture<Void> reportRunning(String name, long generation, String digest) throws IOException {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("observedGeneration", generation);
    status.put("phase", "Running");
    status.put("digest", digest);
    status.put("programIds", List.of(101, 102));
    status.put("linkIds", List.of(7));
    status.put("mapIds", List.of(55));
    status.put("restarts", 0);
    status.put("eventsDelivered", 0);
    status.put("eventsDropped", 0);
    String now = Instant.now().toString();
    status.put("startedAt", now);
    status.put("updatedAt", now);
    status.put("lastError", null);
    HttpRequest request = HttpRequest.newBuilder(URI.create(
            plane.url() + RESOURCE.formatted(namespace) + "/" + name + "/status"))
        .header("Authorization", "Bearer " + plane.token())
        .header("Content-Type", "application/merge-patch+json")
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("status", status))))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenAccept(response -> {
      if (response.statusCode() == 200) {
        reports.incrementAndGet();
      } else { // no retry: the benchmark then runs into its limit with this message in its output
        failures.incrementAndGet();
        System.out.printf("bench: status patch of %s failed: HTTP %d %s%n", name, response.statusCode(),
            new String(response.body(), StandardCharsets.UTF_8));
      }
    });
  }

  /**
   * ChaCha20-Poly1305 suites first: a Go server (the apiserver) picks ChaCha20 when the client lists it first, and in
   * a JVM whose code is not C2-compiled (this one runs at TieredStopAtLevel=1) AES-GCM has no intrinsics and runs at
   * about a quarter of ChaCha20's speed (22 vs 84-90 MB/s measured here).
   */
  private static SSLParameters preferChaCha20() throws GeneralSecurityException {
    SSLParameters defaults = SSLContext.getDefault().getDefaultSSLParameters();
    List<String> suites = new ArrayList<>(Arrays.asList(defaults.getCipherSuites()));
    suites.sort((a, b) -> Boolean.compare(!a.contains("CHACHA20"), !b.contains("CHACHA20")));
    return new SSLParameters(suites.toArray(String[]::new), defaults.getProtocols());
  }

  private static SSLContext trusting(LocalControlPlane plane) throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream pem = Files.newInputStream(plane.caFile())) {
      trust.setCertificateEntry("apiserver", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers.getTrustManagers(), null);
    return context;
  }

  @Override
  public void close() {
    closed = true;
    reader.shutdownNow();
    http.shutdownNow();
  }
}
