package io.bpfwasm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.testing.ControlPlaneBinaries;
import io.bpfwasm.testing.LocalControlPlane;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart in helm/bpfwasm, checked with the real helm CLI (helm/install-helm.sh) against a real
 * kube-apiserver with RBAC authorization (etcd + kube-apiserver from e2e/controlplane/build.sh): lint, render,
 * schema validation, server-side dry run, install, and what each component's ServiceAccount may and may not do.
 *
 * <p>The control plane is this class's own, started without the bpfwasm CRDs, so {@code helm install} is what
 * creates them (from the chart's crds/ folder). No kubelet runs: pods are never scheduled, which does not matter
 * for what is checked here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HelmChartIT {
  private static final String RELEASE = "bpfwasm";
  private static final String NAMESPACE = "bpfwasm-system";
  private static final String OPERATOR_SA = "system:serviceaccount:" + NAMESPACE + ":bpfwasm-operator";
  private static final String AGENT_SA = "system:serviceaccount:" + NAMESPACE + ":bpfwasm-agent";
  private static final String SCHEMA_ERROR = "values don't meet the specifications of the schema";

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

  // ---- helm lint and helm template ----

  @Test
  void lintIsCleanForDefaultAndCustomValues() {
    for (List<String> values : List.of(List.<String>of(), List.of("-f", customValues()))) {
      List<String> args = new ArrayList<>(List.of("lint", "--strict", chart()));
      args.addAll(values);
      CommandResult lint = helm.run(args);
      assertThat(lint.succeeded()).as(lint.describe()).isTrue();
      assertThat(lint.output()).as(lint.describe())
          .contains("1 chart(s) linted, 0 chart(s) failed")
          .doesNotContain("[WARNING]")
          .doesNotContain("[ERROR]");
    }
  }

  @Test
  void defaultValuesRenderEveryObject() {
    RenderedManifests rendered = render();
    assertThat(rendered.names()).containsExactlyInAnyOrder(
        "ServiceAccount/bpfwasm-system/bpfwasm-operator",
        "ServiceAccount/bpfwasm-system/bpfwasm-agent",
        "ClusterRole/bpfwasm-operator",
        "ClusterRole/bpfwasm-operator-nodes",
        "ClusterRole/bpfwasm-agent",
        "ClusterRoleBinding/bpfwasm-operator",
        "ClusterRoleBinding/bpfwasm-operator-nodes",
        "ClusterRoleBinding/bpfwasm-agent",
        "Role/bpfwasm-system/bpfwasm-operator-leader-election",
        "RoleBinding/bpfwasm-system/bpfwasm-operator-leader-election",
        "Deployment/bpfwasm-system/bpfwasm-operator",
        "PodDisruptionBudget/bpfwasm-system/bpfwasm-operator",
        "Service/bpfwasm-system/bpfwasm-operator-metrics",
        "DaemonSet/bpfwasm-system/bpfwasm-agent",
        "Service/bpfwasm-system/bpfwasm-agent-metrics",
        "ValidatingAdmissionPolicy/bpfwasm-agent-writes",
        "ValidatingAdmissionPolicyBinding/bpfwasm-agent-writes");
  }

  @Test
  void operatorRunsNonRootWithLeaderElectionProbesAndMetricsPort() {
    JsonNode deployment = render().get("Deployment", "bpfwasm-operator");
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);

    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("bpfwasm-operator");
    assertThat(RenderedManifests.texts(container.path("args"))).containsExactly(
        "--http-address=0.0.0.0:8080", "--log-format=text", "--workers=10", "--leader-election",
        "--lease-name=bpfwasm-operator");
    assertThat(env(container)).containsEntry("POD_NAME", "fieldRef:metadata.name")
        .containsEntry("POD_NAMESPACE", "fieldRef:metadata.namespace")
        .containsEntry("BPFWASM_LOG_LEVEL", "INFO");

    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("runAsUser").asInt()).isNotZero();
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
    JsonNode security = container.path("securityContext");
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(RenderedManifests.texts(security.path("capabilities").path("drop"))).containsExactly("ALL");
    assertThat(security.path("capabilities").has("add")).isFalse();

    assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
    assertThat(container.path("readinessProbe").path("httpGet").path("port").asText()).isEqualTo("http");

    JsonNode pdb = render().get("PodDisruptionBudget", "bpfwasm-operator");
    assertThat(pdb.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
    assertThat(pdb.path("spec").path("selector").path("matchLabels"))
        .isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));
  }

  @Test
  void agentRunsOnEveryNodeWithOnlyTheCapabilitiesAndHostPathsItNeeds() {
    JsonNode daemonSet = render().get("DaemonSet", "bpfwasm-agent");
    JsonNode pod = daemonSet.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);

    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("bpfwasm-agent");
    // A toleration with only operator: Exists tolerates every taint: the agent lands on every node.
    assertThat(pod.path("tolerations")).hasSize(1);
    assertThat(pod.path("tolerations").get(0).path("operator").asText()).isEqualTo("Exists");
    assertThat(pod.path("tolerations").get(0).has("key")).isFalse();
    assertThat(pod.path("hostPID").asBoolean(true)).isFalse();
    assertThat(pod.path("hostNetwork").asBoolean()).isTrue();

    assertThat(RenderedManifests.texts(container.path("args"))).startsWith("agent", "--node-name=$(NODE_NAME)")
        .contains("--http-address=0.0.0.0:8090", "--log-format=text", "--cache-dir=/var/lib/bpfwasm/modules");
    assertThat(env(container)).containsEntry("NODE_NAME", "fieldRef:spec.nodeName");

    JsonNode security = container.path("securityContext");
    assertThat(security.path("privileged").asBoolean(true)).isFalse();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(RenderedManifests.texts(security.path("capabilities").path("drop"))).containsExactly("ALL");
    assertThat(RenderedManifests.texts(security.path("capabilities").path("add")))
        .containsExactly("BPF", "PERFMON", "NET_ADMIN");

    assertThat(hostPaths(pod)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "bpffs", "/sys/fs/bpf", "btf", "/sys/kernel/btf", "tracing", "/sys/kernel/tracing",
        "cgroup", "/sys/fs/cgroup"));
    Map<String, Boolean> readOnly = mountReadOnly(container);
    assertThat(readOnly).containsEntry("bpffs", false).containsEntry("btf", true).containsEntry("tracing", true)
        .containsEntry("cgroup", true).containsEntry("module-cache", false);
    assertThat(volume(pod, "module-cache").has("emptyDir")).isTrue();
  }

  @Test
  void everyAddedCapabilityAndHostMountSaysWhy() throws IOException {
    String template = Files.readString(Repository.chart().resolve("templates/agent/daemonset.yaml"));
    String capabilities = between(template, "add:", "resources:");
    assertThat(entriesWithoutWhy(capabilities, Pattern.compile("(?m)^\\s*- ([A-Z_]+)\\s*$")))
        .as("capabilities without a '# why:' comment above them").isEmpty();
    String mounts = between(template, "volumeMounts:", "volumes:");
    List<String> hostMounts = entriesWithoutWhy(mounts, Pattern.compile("(?m)^\\s*- name: (\\S+)\\s*$")).stream()
        .filter(name -> !List.of("module-cache", "tmp").contains(name)).toList();
    assertThat(hostMounts).as("host mounts without a '# why:' comment above them").isEmpty();
  }

  @Test
  void customValuesReachTheObjects() {
    RenderedManifests rendered = render("-f", customValues());

    JsonNode deployment = rendered.get("Deployment", "bpfwasm-operator");
    JsonNode operatorPod = deployment.path("spec").path("template").path("spec");
    JsonNode operator = operatorPod.path("containers").get(0);
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(operator.path("image").asText()).isEqualTo("registry.example.com/platform/bpfwasm-operator:1.2.3");
    assertThat(operator.path("imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(RenderedManifests.texts(operator.path("args"))).contains("--log-format=json",
        "--http-address=0.0.0.0:9080", "--lease-name=bpfwasm-leader", "--workers=4", "--namespaces=team-a,team-b");
    assertThat(env(operator)).containsEntry("BPFWASM_LOG_LEVEL", "DEBUG");
    assertThat(operator.path("resources").path("limits").path("memory").asText()).isEqualTo("768Mi");
    assertThat(operatorPod.path("tolerations").get(0).path("value").asText()).isEqualTo("infra");
    assertThat(operatorPod.path("affinity").path("podAntiAffinity")
        .has("requiredDuringSchedulingIgnoredDuringExecution")).isTrue();
    assertThat(operatorPod.path("nodeSelector").has("node-role.kubernetes.io/infra")).isTrue();
    assertThat(operatorPod.path("priorityClassName").asText()).isEqualTo("system-cluster-critical");
    assertThat(operatorPod.path("imagePullSecrets").get(0).path("name").asText()).isEqualTo("registry-credentials");
    assertThat(rendered.get("Role", "bpfwasm-operator-leader-election").path("rules").get(1)
        .path("resourceNames").get(0).asText()).isEqualTo("bpfwasm-leader");

    JsonNode daemonSet = rendered.get("DaemonSet", "bpfwasm-agent");
    JsonNode agentPod = daemonSet.path("spec").path("template").path("spec");
    JsonNode agent = agentPod.path("containers").get(0);
    assertThat(agent.path("image").asText()).isEqualTo("registry.example.com/platform/bpfwasm-agent:1.2.3");
    assertThat(RenderedManifests.texts(agent.path("args"))).contains("--log-format=json",
        "--http-address=0.0.0.0:9090", "--namespaces=team-a,team-b");
    assertThat(agentPod.path("hostNetwork").asBoolean(true)).isFalse();
    assertThat(agentPod.path("tolerations")).hasSize(1);
    assertThat(agentPod.path("tolerations").get(0).path("key").asText()).isEqualTo("dedicated");
    assertThat(agentPod.path("affinity").path("nodeAffinity").isObject()).isTrue();
    assertThat(agentPod.path("priorityClassName").asText()).isEqualTo("system-node-critical");
    assertThat(RenderedManifests.texts(agent.path("securityContext").path("capabilities").path("add")))
        .containsExactly("BPF", "PERFMON", "SYS_RESOURCE");
    assertThat(agent.path("securityContext").path("seccompProfile").path("localhostProfile").asText())
        .isEqualTo("profiles/bpfwasm-agent.json");
    assertThat(hostPaths(agentPod)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "bpffs", "/sys/fs/bpf", "btf", "/sys/kernel/btf", "debugfs", "/sys/kernel/debug",
        "module-cache", "/var/cache/bpfwasm"));

    // watchNamespaces: programs, assignments, ConfigMaps and Events only there; Nodes stay cluster-wide.
    assertThat(rendered.ofKind("RoleBinding").stream().map(RenderedManifests::describe)).containsExactlyInAnyOrder(
        "RoleBinding/team-a/bpfwasm-operator", "RoleBinding/team-b/bpfwasm-operator",
        "RoleBinding/team-a/bpfwasm-agent", "RoleBinding/team-b/bpfwasm-agent",
        "RoleBinding/bpfwasm-system/bpfwasm-operator-leader-election");
    assertThat(rendered.ofKind("ClusterRoleBinding").stream().map(RenderedManifests::describe))
        .containsExactly("ClusterRoleBinding/bpfwasm-operator-nodes");

    assertThat(rendered.ofKind("ServiceMonitor")).hasSize(2).allSatisfy(monitor -> {
      assertThat(monitor.path("metadata").path("labels").path("release").asText()).isEqualTo("prometheus");
      assertThat(monitor.path("spec").path("endpoints").get(0).path("interval").asText()).isEqualTo("15s");
    });
    assertThat(rendered.all()).allSatisfy(object ->
        assertThat(object.path("metadata").path("labels").path("team").asText()).as(RenderedManifests.describe(object))
            .isEqualTo("platform"));
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("operator: {replicas: two}", "at '/operator/replicas': got string, want integer"),
        Arguments.of("operator: {replicas: 0}", "at '/operator/replicas': minimum: got 0, want 1"),
        Arguments.of("operator: {logFormat: xml}", "at '/operator/logFormat': value must be one of 'text', 'json'"),
        Arguments.of("agent: {logLevel: verbose}", "at '/agent/logLevel': value must be one of"),
        Arguments.of("agent: {image: {pullPolicy: Sometimes}}", "at '/agent/image/pullPolicy': value must be one of"),
        Arguments.of("operater: {replicas: 1}", "additional properties 'operater' not allowed"),
        Arguments.of("agent: {hostMounts: {proc: true}}", "additional properties 'proc' not allowed"),
        Arguments.of("watchNamespaces: [Team_A]", "at '/watchNamespaces/0': 'Team_A' does not match pattern"),
        Arguments.of("agent: {seccompProfile: {type: Localhost}}", "missing property 'localhostProfile'"),
        Arguments.of("agent: {moduleCache: {type: tmpfs}}", "at '/agent/moduleCache/type': value must be one of"),
        Arguments.of("metrics: {serviceMonitor: {enabled: true, interval: soon}}",
            "at '/metrics/serviceMonitor/interval': 'soon' does not match pattern"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void schemaRejectsBadValues(String values, String message) throws IOException {
    Path file = Files.writeString(Files.createTempFile(work, "bad-values", ".yaml"), values + "\n");
    CommandResult template = helm.run("template", RELEASE, chart(), "-n", NAMESPACE, "-f", file.toString());
    assertThat(template.succeeded()).as(template.describe()).isFalse();
    assertThat(template.stderr()).as(template.describe()).contains(SCHEMA_ERROR).contains(message);
  }

  @Test
  void severalOperatorsWithoutLeaderElectionAreRefused() {
    CommandResult template = helm.run("template", RELEASE, chart(), "-n", NAMESPACE,
        "--set", "operator.replicas=2", "--set", "operator.leaderElection.enabled=false");
    assertThat(template.succeeded()).as(template.describe()).isFalse();
    assertThat(template.stderr()).contains("would run several active operators");
  }

  // ---- against the apiserver ----

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
      update | bpfwasmprograms.bpfwasm.io                       | finalizers | default        | yes
      create | bpfwasmnodeprograms.bpfwasm.io                   | -          | default        | yes
      update | bpfwasmnodeprograms.bpfwasm.io                   | -          | default        | yes
      patch  | bpfwasmnodeprograms.bpfwasm.io                   | -          | default        | yes
      delete | bpfwasmnodeprograms.bpfwasm.io                   | -          | default        | yes
      watch  | bpfwasmnodeprograms.bpfwasm.io                   | -          | *              | yes
      list   | nodes                                            | -          | *              | yes
      watch  | nodes                                            | -          | *              | yes
      create | events                                           | -          | default        | yes
      create | events.events.k8s.io                             | -          | default        | yes
      create | leases.coordination.k8s.io                       | -          | bpfwasm-system | yes
      update | leases.coordination.k8s.io/bpfwasm-operator      | -          | bpfwasm-system | yes
      create | bpfwasmprograms.bpfwasm.io                       | -          | default        | no
      delete | bpfwasmprograms.bpfwasm.io                       | -          | default        | no
      patch  | bpfwasmnodeprograms.bpfwasm.io                   | status     | default        | no
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

  // ---- helpers ----

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
    List<String> args = new ArrayList<>(List.of("template", RELEASE, chart(), "-n", NAMESPACE));
    args.addAll(List.of(extra));
    CommandResult template = helm.run(args);
    assertThat(template.succeeded()).as(template.describe()).isTrue();
    return RenderedManifests.parse(template.stdout());
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
    Config config = plane.config();
    config.setImpersonateUsername(AGENT_SA);
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE);
    // Header names cannot hold "/": the apiserver percent-decodes Impersonate-Extra-* keys, fabric8 does not encode.
    config.setImpersonateExtras(Map.of("authentication.kubernetes.io%2Fnode-name", List.of(node)));
    return new KubernetesClientBuilder().withConfig(config).build();
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

  private static String chart() {
    return Repository.chart().toString();
  }

  private static String customValues() {
    try {
      return resource("helm/custom-values.yaml").toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path resource(String name) throws URISyntaxException {
    var url = HelmChartIT.class.getClassLoader().getResource(name);
    assertThat(url).as("test resource %s", name).isNotNull();
    return Path.of(url.toURI());
  }

  /** Environment variables of a container: literal values, or "fieldRef:<path>" for downward API ones. */
  private static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode variable : container.path("env")) {
      String fieldPath = variable.path("valueFrom").path("fieldRef").path("fieldPath").asText("");
      env.put(variable.path("name").asText(), fieldPath.isEmpty() ? variable.path("value").asText()
          : "fieldRef:" + fieldPath);
    }
    return env;
  }

  /** Volume name to host path, for the pod's hostPath volumes. */
  private static Map<String, String> hostPaths(JsonNode pod) {
    Map<String, String> paths = new LinkedHashMap<>();
    for (JsonNode volume : pod.path("volumes")) {
      if (volume.has("hostPath")) {
        paths.put(volume.path("name").asText(), volume.path("hostPath").path("path").asText());
      }
    }
    return paths;
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode volume : pod.path("volumes")) {
      if (name.equals(volume.path("name").asText())) {
        return volume;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  private static Map<String, Boolean> mountReadOnly(JsonNode container) {
    Map<String, Boolean> mounts = new LinkedHashMap<>();
    for (JsonNode mount : container.path("volumeMounts")) {
      mounts.put(mount.path("name").asText(), mount.path("readOnly").asBoolean(false));
    }
    return mounts;
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    int to = text.indexOf(end, from);
    assertThat(from).as("'%s' in the template", start).isNotNegative();
    assertThat(to).as("'%s' after '%s' in the template", end, start).isPositive();
    return text.substring(from, to);
  }

  /** The entries matched by {@code item} whose text since the previous entry has no "# why:" comment. */
  private static List<String> entriesWithoutWhy(String block, Pattern item) {
    List<String> missing = new ArrayList<>();
    Matcher m = item.matcher(block);
    int previousEnd = 0;
    int found = 0;
    while (m.find()) {
      found++;
      if (!block.substring(previousEnd, m.start()).contains("# why:")) {
        missing.add(m.group(1));
      }
      previousEnd = m.end();
    }
    assertThat(found).as("entries matching %s", item).isPositive();
    return missing;
  }
}
