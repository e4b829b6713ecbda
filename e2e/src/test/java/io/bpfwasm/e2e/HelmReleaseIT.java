package io.bpfwasm.e2e;

import static io.bpfwasm.e2e.ChartFixture.NAMESPACE;
import static io.bpfwasm.e2e.ChartFixture.RELEASE;
import static io.bpfwasm.e2e.ChartFixture.chart;
import static io.bpfwasm.e2e.ChartFixture.customValues;
import static io.bpfwasm.e2e.ChartFixture.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgramSpec;
import io.bpfwasm.api.v1alpha1.Labels;
import io.bpfwasm.api.v1alpha1.ModuleSource;
import io.bpfwasm.operator.BpfWasmOperator;
import io.bpfwasm.operator.OperatorSettings;
import io.bpfwasm.testing.ControlPlaneBinaries;
import io.bpfwasm.testing.LocalControlPlane;
import io.bpfwasm.testing.LoopbackPorts;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Helm chart against a real kube-apiserver with RBAC authorization (etcd + kube-apiserver from
 * e2e/controlplane/build.sh): server-side dry run, install, what each component's ServiceAccount may and may not do,
 * the agent's admission policy, and the operator actually working with only the chart's permissions.
 *
 * <p>The control plane is this class's own, started without the bpfwasm CRDs, so {@code helm install} is what
 * creates them (from the chart's crds/ folder). No kubelet runs: pods are never scheduled, which does not matter
 * for what is checked here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelmReleaseIT {
  private static final String OPERATOR_SA = "system:serviceaccount:" + NAMESPACE + ":bpfwasm-operator";
  private static final String AGENT_SA = "system:serviceaccount:" + NAMESPACE + ":bpfwasm-agent";

  @TempDir
  static Path work;

  private Helm helm;
  private LocalControlPlane plane;
  private boolean installed;

  @BeforeAll
  void startHelmAndControlPlane() {
    helm = Helm.locate(work.resolve("helm-home"));
    plane = LocalControlPlane.start();
  }

  @AfterAll
  void stopControlPlane() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void apiserverAcceptsTheRenderedChartInAServerSideDryRun() throws IOException, URISyntaxException {
    // The Prometheus Operator's CRD is not part of a bare control plane; a stand-in lets ServiceMonitors through.
    kubectlOk("apply", "-f", resource("helm/servicemonitor-crd.yaml").toString());
    kubectlOk("wait", "--for=condition=Established", "--timeout=30s",
        "crd/servicemonitors.monitoring.coreos.com");
    // A release name and namespace of its own, so every object is new whichever test ran first.
    ensureNamespaces("dryrun-system", "team-a", "team-b");

    for (List<String> values : List.of(List.<String>of(), List.of("-f", customValues()))) {
      List<String> args = new ArrayList<>(List.of("template", "dryrun", chart(), "-n", "dryrun-system",
          "--include-crds"));
      args.addAll(values);
      CommandResult template = helm.run(args);
      assertThat(template.succeeded()).as(template.describe()).isTrue();
      int objects = RenderedManifests.parse(template.stdout()).all().size();
      Path manifests = Files.writeString(Files.createTempFile(work, "rendered", ".yaml"), template.stdout());

      CommandResult dryRun = kubectl("apply", "--dry-run=server", "-f", manifests.toString());
      assertThat(dryRun.succeeded()).as(dryRun.describe()).isTrue();
      assertThat(dryRun.stdout().lines().filter(l -> l.endsWith("(server dry run)")).count())
          .as("objects accepted; %s", dryRun.describe()).isEqualTo(objects);
    }
  }

  @Test
  void operatorPodMeetsTheRestrictedPodSecurityStandardAndTheAgentIsNotPrivileged() throws IOException {
    // PodSecurity admission warns (for workload objects) when a pod template breaks the namespace's level.
    ensureNamespaces("psa-restricted", "psa-baseline");
    kubectlOk("label", "--overwrite", "namespace", "psa-restricted", "pod-security.kubernetes.io/warn=restricted");
    kubectlOk("label", "--overwrite", "namespace", "psa-baseline", "pod-security.kubernetes.io/warn=baseline");

    CommandResult operator = dryRunTemplate("psa-restricted", "templates/operator/deployment.yaml");
    assertThat(operator.succeeded()).as(operator.describe()).isTrue();
    assertThat(operator.stderr()).as(operator.describe()).doesNotContain("would violate PodSecurity");

    CommandResult agent = dryRunTemplate("psa-baseline", "templates/agent/daemonset.yaml");
    assertThat(agent.succeeded()).as(agent.describe()).isTrue();
    // The agent needs what baseline forbids (host paths, host network, added capabilities, no seccomp filter) and
    // says so in the chart's docs; what it must never need is a privileged container.
    assertThat(agent.stderr()).as(agent.describe()).contains("would violate PodSecurity \"baseline:latest\"")
        .contains("hostPath volumes").contains("non-default capabilities").doesNotContain("privileged (");
  }

  @Test
  void installCreatesTheCrdsAndEveryObject() throws IOException {
    installOnce();
    for (String crd : List.of("bpfwasmprograms.bpfwasm.io", "bpfwasmnodeprograms.bpfwasm.io")) {
      CommandResult established = kubectl("get", "crd", crd,
          "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}");
      assertThat(established.stdout()).as(established.describe()).isEqualTo("True");
    }

    CommandResult template = helm.run("template", RELEASE, chart(), "-n", NAMESPACE);
    Path manifests = Files.writeString(work.resolve("installed.yaml"), template.stdout());
    CommandResult get = kubectl("get", "-f", manifests.toString(), "-o", "name");
    assertThat(get.succeeded()).as("every rendered object exists: %s", get.describe()).isTrue();
    assertThat(get.stdout().lines().count()).isEqualTo(RenderedManifests.parse(template.stdout()).all().size());

    CommandResult status = helm.run("--kubeconfig", kubeconfig(), "status", RELEASE, "-n", NAMESPACE);
    assertThat(status.stdout()).as(status.describe()).contains("STATUS: deployed");
  }

  @ParameterizedTest(name = "operator {0} {1} {2} in {3}: {4}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      get    | bpfwasmprograms.bpfwasm.io                       | -          | *              | yes
      list   | bpfwasmprograms.bpfwasm.io                       | -          | *              | yes
      watch  | bpfwasmprograms.bpfwasm.io                       | -          | *              | yes
      patch  | bpfwasmprograms.bpfwasm.io                       | -          | default        | yes
      update | bpfwasmprograms.bpfwasm.io                       | status     | default        | yes
      patch  | bpfwasmprograms.bpfwasm.io                       | status     | default        | yes
      create | bpfwasmnodeprograms.bpfwasm.io                   | -          | default        | yes
      update | bpfwasmnodeprograms.bpfwasm.io                   | -          | default        | yes
      patch  | bpfwasmnodeprograms.bpfwasm.io                   | -          | default        | yes
      delete | bpfwasmnodeprograms.bpfwasm.io                   | -          | default        | yes
      watch  | bpfwasmnodeprograms.bpfwasm.io                   | -          | *              | yes
      list   | nodes                                            | -          | *              | yes
      watch  | nodes                                            | -          | *              | yes
      create | events                                           | -          | default        | yes
      create | leases.coordination.k8s.io                       | -          | bpfwasm-system | yes
      update | leases.coordination.k8s.io/bpfwasm-operator      | -          | bpfwasm-system | yes
      create | bpfwasmprograms.bpfwasm.io                       | -          | default        | no
      delete | bpfwasmprograms.bpfwasm.io                       | -          | default        | no
      patch  | bpfwasmnodeprograms.bpfwasm.io                   | status     | default        | no
      update | bpfwasmprograms.bpfwasm.io                       | finalizers | default        | no
      create | events.events.k8s.io                             | -          | default        | no
      get    | secrets                                          | -          | bpfwasm-system | no
      list   | secrets                                          | -          | *              | no
      get    | configmaps                                       | -          | default        | no
      patch  | nodes                                            | -          | *              | no
      delete | nodes                                            | -          | *              | no
      update | leases.coordination.k8s.io/kube-controller-manager | -        | bpfwasm-system | no
      create | leases.coordination.k8s.io                       | -          | default        | no
      create | pods                                             | -          | bpfwasm-system | no
      create | clusterrolebindings.rbac.authorization.k8s.io    | -          | *              | no
      """)
  void operatorMayDoOnlyWhatItNeeds(String verb, String resource, String subresource, String namespace,
      String expected) {
    installOnce();
    assertThat(canI(OPERATOR_SA, verb, resource, subresource, namespace))
        .as("can the operator %s %s%s in %s", verb, resource, subresource == null ? "" : "/" + subresource, namespace)
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "agent {0} {1} {2} in {3}: {4}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      get    | bpfwasmnodeprograms.bpfwasm.io | -      | *              | yes
      list   | bpfwasmnodeprograms.bpfwasm.io | -      | *              | yes
      watch  | bpfwasmnodeprograms.bpfwasm.io | -      | *              | yes
      patch  | bpfwasmnodeprograms.bpfwasm.io | -      | default        | yes
      update | bpfwasmnodeprograms.bpfwasm.io | -      | default        | yes
      patch  | bpfwasmnodeprograms.bpfwasm.io | status | default        | yes
      update | bpfwasmnodeprograms.bpfwasm.io | status | default        | yes
      get    | configmaps                     | -      | default        | yes
      create | events                         | -      | default        | yes
      create | events.events.k8s.io           | -      | default        | yes
      create | bpfwasmnodeprograms.bpfwasm.io | -      | default        | no
      delete | bpfwasmnodeprograms.bpfwasm.io | -      | default        | no
      get    | bpfwasmprograms.bpfwasm.io     | -      | default        | no
      update | bpfwasmprograms.bpfwasm.io     | -      | default        | no
      patch  | bpfwasmprograms.bpfwasm.io     | -      | default        | no
      delete | bpfwasmprograms.bpfwasm.io     | -      | default        | no
      patch  | bpfwasmprograms.bpfwasm.io     | status | default        | no
      get    | secrets                        | -      | default        | no
      get    | secrets                        | -      | bpfwasm-system | no
      list   | secrets                        | -      | *              | no
      list   | configmaps                     | -      | default        | no
      update | configmaps                     | -      | default        | no
      get    | nodes                          | -      | *              | no
      patch  | nodes                          | -      | *              | no
      create | leases.coordination.k8s.io     | -      | bpfwasm-system | no
      create | pods                           | -      | default        | no
      create | serviceaccounts                | token  | bpfwasm-system | no
      """)
  void agentMayDoOnlyWhatItNeeds(String verb, String resource, String subresource, String namespace,
      String expected) {
    installOnce();
    assertThat(canI(AGENT_SA, verb, resource, subresource, namespace))
        .as("can the agent %s %s%s in %s", verb, resource, subresource == null ? "" : "/" + subresource, namespace)
        .isEqualTo(expected);
  }

  @Test
  void agentMayChangeOnlyFinalizersAndStatusOfItsOwnNodesAssignments() throws IOException {
    installOnce();
    Path assignment = Files.writeString(work.resolve("assignment.yaml"), """
        apiVersion: bpfwasm.io/v1alpha1
        kind: BpfWasmNodeProgram
        metadata:
          name: execsnoop-node-a
          namespace: default
        spec:
          nodeName: node-a
          programName: execsnoop
          module:
            digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
            configMap: {name: execsnoop, key: execsnoop.wasm}
        """);
    kubectlOk("apply", "-f", assignment.toString());

    try (KubernetesClient onNodeA = agentClient("node-a"); KubernetesClient onNodeB = agentClient("node-b")) {
      var onA = onNodeA.resources(BpfWasmNodeProgram.class).inNamespace("default").withName("execsnoop-node-a");
      var onB = onNodeB.resources(BpfWasmNodeProgram.class).inNamespace("default").withName("execsnoop-node-a");
      PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);

      // The policy takes effect once the apiserver has loaded it; until then this spec change would go through.
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
          assertThatThrownBy(() -> onA.patch(merge, "{\"spec\":{\"paused\":true}}"))
              .isInstanceOf(KubernetesClientException.class)
              .hasMessageContaining("never its spec"));

      onA.patch(merge, "{\"metadata\":{\"finalizers\":[\"bpfwasm.io/agent-cleanup\"]}}");
      onA.subresource("status").patch(merge, "{\"status\":{\"restarts\":1}}");
      assertThatThrownBy(() -> onB.subresource("status").patch(merge, "{\"status\":{\"restarts\":2}}"))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("only the assignments of its own node");
      assertThatThrownBy(() -> onB.patch(merge, "{\"metadata\":{\"finalizers\":null}}"))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("only the assignments of its own node");
    }

    CommandResult stored = kubectl("get", "-f", assignment.toString(),
        "-o", "jsonpath={.metadata.finalizers} {.status.restarts} {.spec.paused}");
    assertThat(stored.stdout()).as(stored.describe()).isEqualTo("[\"bpfwasm.io/agent-cleanup\"] 1 false");
    kubectlOk("patch", "-f", assignment.toString(), "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
    kubectlOk("delete", "-f", assignment.toString());
  }

  @Test
  void operatorReconcilesWithOnlyTheChartsPermissions() {
    installOnce();
    KubernetesClient admin = plane.client();
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("rbac-check").endMetadata()
        .build()).serverSideApply();
    admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1")
        .withLabels(Map.of("rbac-check", "yes")).endMetadata().build()).serverSideApply();

    // Leader election on, as in the chart: the Lease permissions are exercised too.
    OperatorSettings settings = OperatorSettings.defaults("rbac-check-operator", NAMESPACE)
        .withLeaseName("bpfwasm-operator").withExitOnLostLease(false);
    try (KubernetesClient asOperator = serviceAccountClient(OPERATOR_SA, Map.of());
        BpfWasmOperator operator = BpfWasmOperator.start(asOperator, settings, new SimpleMeterRegistry())) {
      await().atMost(Duration.ofSeconds(30)).until(operator::isLeader);
      assertThat(admin.leases().inNamespace(NAMESPACE).withName("bpfwasm-operator").get().getSpec()
          .getHolderIdentity()).isEqualTo("rbac-check-operator");

      admin.resource(program("rbac-check", "execsnoop", Map.of("rbac-check", "yes"))).create();
      var assignments = admin.resources(BpfWasmNodeProgram.class).inNamespace("rbac-check");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(assignments.list().getItems()).singleElement().satisfies(a -> {
            assertThat(a.getSpec().getNodeName()).isEqualTo("worker-1");
            assertThat(a.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> assertThat(ref.getName()).isEqualTo("execsnoop"));
          }));
      var programs = admin.resources(BpfWasmProgram.class).inNamespace("rbac-check").withName("execsnoop");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        BpfWasmProgram program = programs.get();
        assertThat(program.getMetadata().getFinalizers()).contains(Labels.OPERATOR_FINALIZER);
        assertThat(program.getStatus()).isNotNull();
        assertThat(program.getStatus().getConditions()).isNotEmpty();
        assertThat(admin.v1().events().inNamespace("rbac-check").list().getItems())
            .anyMatch(e -> "execsnoop".equals(e.getInvolvedObject().getName()));
      });

      programs.delete();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(programs.get()).as("program released by the operator's finalizer").isNull();
        assertThat(assignments.list().getItems()).isEmpty();
      });
    }
  }

  @Test
  void operatorImageCommandWithTheChartsArgsRunsAsTheServiceAccount() throws Exception {
    installOnce();
    JsonNode container = render().get("Deployment", "bpfwasm-operator").path("spec").path("template").path("spec")
        .path("containers").get(0);
    int port = LoopbackPorts.free();
    // The container's command: the image's ENTRYPOINT followed by the pod's args. Tests bind to 127.0.0.1 only, so
    // the one address argument is swapped; every other argument is the chart's.
    List<String> command = new ArrayList<>(operatorEntrypoint());
    for (String arg : RenderedManifests.texts(container.path("args"))) {
      command.add(arg.startsWith("--http-address=") ? "--http-address=127.0.0.1:" + port : arg);
    }
    // In a pod the client reads the mounted token; here a token the apiserver issues for the same ServiceAccount.
    command.add("--kubeconfig=" + serviceAccountKubeconfig("bpfwasm-operator"));
    Map<String, String> env = RenderedManifests.env(container);
    env.replaceAll((name, value) -> switch (value) {
      case "fieldRef:metadata.name" -> "bpfwasm-operator-7d9f8-abcde";
      case "fieldRef:metadata.namespace" -> NAMESPACE;
      default -> value;
    });
    Path log = work.resolve("operator-process.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      String liveness = container.path("livenessProbe").path("httpGet").path("path").asText();
      String readiness = container.path("readinessProbe").path("httpGet").path("path").asText();
      // The in-process operator test may hold the Lease until it expires (15 s).
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .untilAsserted(() -> {
            assertThat(process.isAlive()).as("operator process; log:%n%s", Files.readString(log)).isTrue();
            assertThat(httpGet(http, base + liveness).statusCode()).isEqualTo(200);
            assertThat(httpGet(http, base + readiness).statusCode()).isEqualTo(200);
            assertThat(httpGet(http, base + "/metrics").body())
                .contains("bpfwasm_operator_leader{identity=\"bpfwasm-operator-7d9f8-abcde\"} 1.0");
          });
      assertThat(Files.readString(log)).doesNotContainIgnoringCase("forbidden");
    } finally {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void releaseWithWatchNamespacesGrantsOnlyThereAndUninstallsCleanly() {
    ensureNamespaces("team-a", "team-b");
    CommandResult install = helm.run("--kubeconfig", kubeconfig(), "install", "scoped", chart(),
        "-n", "scoped-system", "--create-namespace", "--set", "watchNamespaces={team-a}");
    assertThat(install.succeeded()).as(install.describe()).isTrue();
    String operator = "system:serviceaccount:scoped-system:scoped-bpfwasm-operator";
    String agent = "system:serviceaccount:scoped-system:scoped-bpfwasm-agent";

    assertThat(canI(operator, "create", "bpfwasmnodeprograms.bpfwasm.io", null, "team-a")).isEqualTo("yes");
    assertThat(canI(operator, "create", "bpfwasmnodeprograms.bpfwasm.io", null, "team-b")).isEqualTo("no");
    assertThat(canI(operator, "list", "bpfwasmprograms.bpfwasm.io", null, "*")).isEqualTo("no");
    assertThat(canI(operator, "list", "nodes", null, "*")).isEqualTo("yes");
    assertThat(canI(operator, "create", "leases.coordination.k8s.io", null, "scoped-system")).isEqualTo("yes");
    assertThat(canI(agent, "get", "configmaps", null, "team-a")).isEqualTo("yes");
    assertThat(canI(agent, "get", "configmaps", null, "team-b")).isEqualTo("no");
    assertThat(canI(agent, "patch", "bpfwasmnodeprograms.bpfwasm.io", "status", "team-a")).isEqualTo("yes");
    assertThat(canI(agent, "patch", "bpfwasmnodeprograms.bpfwasm.io", "status", "team-b")).isEqualTo("no");
    CommandResult args = kubectl("get", "deployment", "scoped-bpfwasm-operator", "-n", "scoped-system",
        "-o", "jsonpath={.spec.template.spec.containers[0].args}");
    assertThat(args.stdout()).as(args.describe()).contains("--namespaces=team-a");

    CommandResult uninstall = helm.run("--kubeconfig", kubeconfig(), "uninstall", "scoped", "-n", "scoped-system");
    assertThat(uninstall.succeeded()).as(uninstall.describe()).isTrue();
    CommandResult leftovers = kubectl("get", "clusterrole/scoped-bpfwasm-operator", "clusterrole/scoped-bpfwasm-agent",
        "clusterrolebinding/scoped-bpfwasm-operator-nodes", "rolebinding/scoped-bpfwasm-agent", "-n", "team-a",
        "--ignore-not-found", "-o", "name");
    assertThat(leftovers.stdout()).as(leftovers.describe()).isEmpty();
    assertThat(canI(operator, "list", "nodes", null, "*")).isEqualTo("no");
  }


  /** Installs the default release once; the install tests and RBAC checks share it. */
  private synchronized void installOnce() {
    if (installed) {
      return;
    }
    CommandResult install = helm.run("--kubeconfig", kubeconfig(), "install", RELEASE, chart(),
        "-n", NAMESPACE, "--create-namespace");
    assertThat(install.succeeded()).as(install.describe()).isTrue();
    assertThat(install.stdout()).as("NOTES.txt is shown").contains("STATUS: deployed")
        .contains("kubectl -n bpfwasm-system rollout status deployment/bpfwasm-operator");
    installed = true;
  }


  private RenderedManifests render(String... extra) {
    return ChartFixture.render(helm, extra);
  }

  /** "yes" or "no": what {@code kubectl auth can-i} answers for {@code user}; "*" means all namespaces. */
  private String canI(String user, String verb, String resource, String subresource, String namespace) {
    List<String> args = new ArrayList<>(List.of("auth", "can-i", verb, resource, "--as=" + user));
    if (subresource != null) {
      args.add("--subresource=" + subresource);
    }
    args.add("*".equals(namespace) ? "--all-namespaces" : "--namespace=" + namespace);
    CommandResult answer = kubectl(args.toArray(String[]::new));
    String said = answer.stdout().strip();
    assertThat(said).as(answer.describe()).isIn("yes", "no");
    assertThat(answer.exitCode()).as(answer.describe()).isEqualTo(said.equals("yes") ? 0 : 1);
    return said;
  }


  /**
   * A client acting as the agent's ServiceAccount on {@code node}, with the node name that Kubernetes puts into a
   * pod-bound token's user extra (what the kubelet-mounted token of an agent pod carries).
   */
  private KubernetesClient agentClient(String node) {
    // Header names cannot hold "/": the apiserver percent-decodes Impersonate-Extra-* keys, fabric8 does not encode.
    return serviceAccountClient(AGENT_SA, Map.of("authentication.kubernetes.io%2Fnode-name", List.of(node)));
  }


  /** A client that the apiserver authorizes as {@code serviceAccount} (impersonated by the test's admin user). */
  private KubernetesClient serviceAccountClient(String serviceAccount, Map<String, List<String>> extras) {
    Config config = plane.config();
    config.setImpersonateUsername(serviceAccount);
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE);
    config.setImpersonateExtras(extras);
    return new KubernetesClientBuilder().withConfig(config).build();
  }


  private static BpfWasmProgram program(String namespace, String name, Map<String, String> nodeSelector) {
    var oci = new ModuleSource.OciSource();
    oci.setReference("registry.example.com/execsnoop:1");
    var module = new ModuleSource();
    module.setOci(oci);
    module.setDigest("sha256:" + "ab".repeat(32));
    var spec = new BpfWasmProgramSpec();
    spec.setModule(module);
    spec.setNodeSelector(nodeSelector);
    var program = new BpfWasmProgram();
    program.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    program.setSpec(spec);
    return program;
  }


  /** operator/Dockerfile's ENTRYPOINT with this JVM's java and the jar the build wrote. */
  private static List<String> operatorEntrypoint() throws IOException {
    Path dockerfile = Repository.root().resolve("operator").resolve("Dockerfile");
    String entrypoint = Files.readAllLines(dockerfile).stream().filter(l -> l.startsWith("ENTRYPOINT"))
        .findFirst().orElseThrow(() -> new AssertionError("no ENTRYPOINT in " + dockerfile));
    List<String> command = new ArrayList<>();
    Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(entrypoint);
    while (word.find()) {
      command.add(word.group(1));
    }
    assertThat(command).as(entrypoint).startsWith("java").last().asString().startsWith("/opt/bpfwasm/");
    Path jar = Repository.root().resolve("operator").resolve("target")
        .resolve(Path.of(command.getLast()).getFileName());
    assertThat(jar).as("built by the operator module's package phase").exists();
    command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.set(command.size() - 1, jar.toString());
    return command;
  }


  /** A kubeconfig holding a token the apiserver issued for ServiceAccount {@code name} of the release namespace. */
  private Path serviceAccountKubeconfig(String name) throws IOException {
    CommandResult token = kubectl("create", "token", name, "-n", NAMESPACE, "--duration=10m");
    assertThat(token.succeeded()).as(token.describe()).isTrue();
    return plane.writeKubeconfig(work.resolve(name + ".kubeconfig"), name, token.stdout().strip());
  }


  private static HttpResponse<String> httpGet(HttpClient http, String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }


  /** helm template of one chart template into {@code namespace}, sent with kubectl apply --dry-run=server. */
  private CommandResult dryRunTemplate(String namespace, String template) throws IOException {
    CommandResult rendered = helm.run("template", RELEASE, chart(), "-n", namespace, "--show-only", template);
    assertThat(rendered.succeeded()).as(rendered.describe()).isTrue();
    Path manifest = Files.writeString(Files.createTempFile(work, "template", ".yaml"), rendered.stdout());
    return kubectl("apply", "--dry-run=server", "-f", manifest.toString());
  }

  private void ensureNamespaces(String... names) {
    for (String name : names) {
      if (!kubectl("get", "namespace", name).succeeded()) {
        kubectlOk("create", "namespace", name);
      }
    }
  }


  private CommandResult kubectl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(plane.binaries().path(ControlPlaneBinaries.KUBECTL).toString());
    command.add("--kubeconfig=" + kubeconfig());
    command.addAll(List.of(args));
    return Commands.run(command, pb -> pb.environment().remove("KUBECONFIG"), 60);
  }


  private void kubectlOk(String... args) {
    CommandResult result = kubectl(args);
    assertThat(result.succeeded()).as(result.describe()).isTrue();
  }


  private String kubeconfig() {
    return plane.kubeconfig().toString();
  }

}
