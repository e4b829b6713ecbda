package io.bpfwasm.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfwasm.testing.ControlPlaneExtension;
import io.bpfwasm.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CRDs' schema and CEL rules reject bad programs at admission, with messages a user understands. */
@ExtendWith(ControlPlaneExtension.class)
class CrdValidationIT {
  static final String DIGEST = "sha256:" + "ab".repeat(32);

  private final LocalControlPlane plane;
  private final KubernetesClient client;

  CrdValidationIT(LocalControlPlane plane) {
    this.plane = plane;
    this.client = plane.client();
  }

  @Test
  void acceptsAValidProgramAndDefaultsTheEngine() {
    BpfWasmProgram created = create("valid", spec -> spec.setNodeSelector(Map.of("kubernetes.io/os", "linux")));
    assertThat(created.getSpec().getEngine()).isEqualTo(Engine.CHICORY);
    assertThat(created.getSpec().isPaused()).isFalse();
  }

  @Test
  void rejectsMissingDigest() {
    assertRejected("no-digest", spec -> spec.getModule().setDigest(null), "spec.module.digest: Required value");
  }

  @Test
  void rejectsMalformedDigest() {
    assertRejected("bad-digest", spec -> spec.getModule().setDigest("sha256:XYZ"),
        "module.digest must be \"sha256:\" followed by 64 lowercase hex digits");
    assertRejected("md5-digest", spec -> spec.getModule().setDigest("md5:" + "a".repeat(32)),
        "module.digest must be \"sha256:\"");
  }

  @Test
  void rejectsTwoSourcesAtOnce() {
    assertRejected("two-sources", spec -> {
      var https = new ModuleSource.HttpsSource();
      https.setUrl("https://example.com/x.wasm");
      spec.getModule().setHttps(https);
    }, "module: set exactly one source: oci, https or configMap");
  }

  @Test
  void rejectsNoSource() {
    assertRejected("no-source", spec -> spec.getModule().setOci(null),
        "module: set exactly one source: oci, https or configMap");
  }

  @Test
  void rejectsPlainHttpUrl() {
    assertRejected("http-url", spec -> {
      var https = new ModuleSource.HttpsSource();
      https.setUrl("http://example.com/x.wasm");
      spec.getModule().setOci(null);
      spec.getModule().setHttps(https);
    }, "module.https.url must start with https://");
  }

  @Test
  void rejectsAZeroOrUnitlessCpuGuard() {
    for (String guard : List.of("0ms", "500", "1.5s")) {
      assertRejected("guard-" + guard.replace('.', '-'), spec -> {
        var limits = new Limits();
        limits.setCpuGuard(guard);
        spec.setLimits(limits);
      }, "limits.cpuGuard must be a positive whole number of ms, s or m");
    }
    create("guard-ok", spec -> {
      var limits = new Limits();
      limits.setCpuGuard("500ms");
      spec.setLimits(limits);
    });
  }

  @Test
  void rejectsAnAttachTargetWithoutItsKind() {
    assertRejected("bad-target", spec -> {
      var capabilities = new Capabilities();
      capabilities.setAttachTargets(List.of("interface:eth*", "eth0"));
      spec.setCapabilities(capabilities);
    }, "capabilities.attachTargets: every entry must be interface:<glob>, cgroup:<glob> or binary:<glob>");
    create("good-targets", spec -> {
      var capabilities = new Capabilities();
      capabilities.setAttachTargets(List.of("interface:veth*", "cgroup:/sys/fs/cgroup/**", "binary:/usr/bin/*"));
      spec.setCapabilities(capabilities);
    });
  }

  @Test
  void rejectsBadSelectorKeyAndValue() {
    assertRejected("bad-key", spec -> spec.setNodeSelector(Map.of("not a key!", "x")),
        "nodeSelector: every key must be a label key");
    assertRejected("bad-value", spec -> spec.setNodeSelector(Map.of("disktype", "has spaces")),
        "nodeSelector: every value must be a label value");
  }

  @Test
  void rejectsUnknownEngineThroughKubectl() throws Exception {
    Path manifest = Files.createTempFile("bwp-", ".yaml");
    Files.writeString(manifest, """
        apiVersion: bpfwasm.io/v1alpha1
        kind: BpfWasmProgram
        metadata:
          name: unknown-engine
          namespace: default
        spec:
          engine: wasmer
          module:
            oci: {reference: "registry.local/execsnoop:1"}
            digest: "%s"
        """.formatted(DIGEST));
    try {
      LocalControlPlane.KubectlResult result = plane.kubectl("apply", "-f", manifest.toString());
      assertThat(result.exitCode()).as(result.output()).isNotZero();
      assertThat(result.output()).contains("spec.engine: Unsupported value: \"wasmer\"")
          .contains("\"chicory\"", "\"wasmtime\"");
    } finally {
      Files.delete(manifest);
    }
  }

  @Test
  void kubectlShowsThePrinterColumns() {
    // The crd generator orders columns by JSONPath, so Age (.metadata) comes first.
    create("columns", spec -> { });
    LocalControlPlane.KubectlResult result = plane.kubectl("get", "bwp", "columns", "-n", "default", "-o", "wide");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "AGE", "REASON", "READY", "NODES", "DIGEST");
  }

  private BpfWasmProgram create(String name, Consumer<BpfWasmProgramSpec> change) {
    return client.resource(program(name, change)).create();
  }

  private void assertRejected(String name, Consumer<BpfWasmProgramSpec> change, String message) {
    assertThatThrownBy(() -> create(name, change))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422));
  }

  static BpfWasmProgram program(String name, Consumer<BpfWasmProgramSpec> change) {
    var oci = new ModuleSource.OciSource();
    oci.setReference("registry.local/execsnoop:1");
    var module = new ModuleSource();
    module.setOci(oci);
    module.setDigest(DIGEST);
    var spec = new BpfWasmProgramSpec();
    spec.setModule(module);
    change.accept(spec);
    var program = new BpfWasmProgram();
    program.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    program.setSpec(spec);
    return program;
  }
}
