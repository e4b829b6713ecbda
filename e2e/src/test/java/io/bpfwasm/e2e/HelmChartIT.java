package io.bpfwasm.e2e;

import static io.bpfwasm.e2e.ChartFixture.NAMESPACE;
import static io.bpfwasm.e2e.ChartFixture.RELEASE;
import static io.bpfwasm.e2e.ChartFixture.chart;
import static io.bpfwasm.e2e.ChartFixture.customValues;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart in helm/bpfwasm as it renders, checked with the real helm CLI (helm/install-helm.sh): lint, the
 * objects of the default and a non-default rendering, and the values the schema or the templates refuse.
 * HelmReleaseIT sends the chart to a real apiserver.
 */
class HelmChartIT {
  private static final String SCHEMA_ERROR = "values don't meet the specifications of the schema";

  @TempDir
  static Path work;

  private static Helm helm;

  @BeforeAll
  static void locateHelm() {
    helm = Helm.locate(work.resolve("helm-home"));
  }

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
    assertThat(RenderedManifests.env(container)).containsEntry("POD_NAME", "fieldRef:metadata.name")
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
    assertThat(RenderedManifests.env(container)).containsEntry("NODE_NAME", "fieldRef:spec.nodeName");

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
    assertThat(RenderedManifests.env(operator)).containsEntry("BPFWASM_LOG_LEVEL", "DEBUG");
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

  @Test
  void agentAdmissionPolicyNeedsKubernetes130OrIsTurnedOff() {
    CommandResult old = helm.run("template", RELEASE, chart(), "-n", NAMESPACE, "--kube-version", "1.29.0");
    assertThat(old.succeeded()).as(old.describe()).isFalse();
    assertThat(old.stderr()).contains("agent.admissionPolicy.enabled needs ValidatingAdmissionPolicy")
        .contains("this cluster is v1.29.0");

    RenderedManifests without = render("--kube-version", "1.29.0", "--set", "agent.admissionPolicy.enabled=false");
    assertThat(without.ofKind("ValidatingAdmissionPolicy")).isEmpty();
    assertThat(without.ofKind("ValidatingAdmissionPolicyBinding")).isEmpty();
  }


  private static RenderedManifests render(String... extra) {
    return ChartFixture.render(helm, extra);
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
