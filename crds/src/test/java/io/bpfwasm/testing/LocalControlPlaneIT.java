package io.bpfwasm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness itself: a control plane of its own, kubectl, the controller manager's GC, and a clean stop. */
class LocalControlPlaneIT {

  @Test
  void startsServesKubectlCollectsGarbageAndCleansUp() {
    Path workDir;
    try (LocalControlPlane plane = LocalControlPlane.start()) {
      workDir = plane.kubeconfig().getParent();
      KubernetesClient client = plane.client();
      assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.34.4");
      assertThat(plane.url()).startsWith("https://127.0.0.1:");

      var version = plane.kubectl("version", "-o", "json");
      assertThat(version.exitCode()).as(version.output()).isZero();
      assertThat(version.output()).contains("\"gitVersion\": \"v1.34.4\"");

      // The checked-in CRDs install the way the README says: kubectl apply -f crds/generated/
      var apply = plane.kubectl("apply", "-f", Path.of("generated").toAbsolutePath().toString());
      assertThat(apply.exitCode()).as(apply.output()).isZero();
      assertThat(apply.output()).contains("bpfwasmprograms.bpfwasm.io created", "bpfwasmnodeprograms.bpfwasm.io created");
      await().atMost(Duration.ofSeconds(30)).until(() ->
          plane.kubectl("get", "bwp", "-A").exitCode() == 0 && plane.kubectl("get", "bwnp", "-A").exitCode() == 0);

      plane.startControllerManager();
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("gc").endMetadata().build())
          .create();
      ConfigMap owner = client.configMaps().inNamespace("gc").resource(new ConfigMapBuilder().withNewMetadata()
          .withName("owner").endMetadata().withData(Map.of("k", "v")).build()).create();
      client.configMaps().inNamespace("gc").resource(new ConfigMapBuilder().withNewMetadata().withName("dependent")
          .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("owner")
          .withUid(owner.getMetadata().getUid()).endOwnerReference().endMetadata().build()).create();

      client.configMaps().inNamespace("gc").withName("owner").delete();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.configMaps().inNamespace("gc").withName("dependent").get() == null);
      client.namespaces().withName("gc").delete();
      await().atMost(Duration.ofSeconds(60)).until(() -> client.namespaces().withName("gc").get() == null);
    }
    assertThat(workDir).doesNotExist();
  }

  @Test
  void missingBinariesFailWithAMessageNamingBuildSh() throws Exception {
    Path empty = Files.createTempDirectory("no-binaries");
    String previous = System.getProperty("bpfwasm.controlplane.bin");
    System.setProperty("bpfwasm.controlplane.bin", empty.toString());
    try {
      assertThatThrownBy(LocalControlPlane::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("e2e/controlplane/build.sh");
    } finally {
      if (previous == null) {
        System.clearProperty("bpfwasm.controlplane.bin");
      } else {
        System.setProperty("bpfwasm.controlplane.bin", previous);
      }
      Files.delete(empty);
    }
  }
}
