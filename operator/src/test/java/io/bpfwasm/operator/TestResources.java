package io.bpfwasm.operator;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgramSpec;
import io.bpfwasm.api.v1alpha1.Labels;
import io.bpfwasm.api.v1alpha1.ModuleSource;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builders and lookups the operator tests share. */
public final class TestResources {
  public static final String DIGEST_A = "sha256:" + "a1".repeat(32);
  public static final String DIGEST_B = "sha256:" + "b2".repeat(32);

  private TestResources() {}

  public static void createNamespace(KubernetesClient client, String namespace) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
  }

  /** A Node object (no kubelet behind it: the operator only reads names and labels). */
  public static Node createNode(KubernetesClient client, String name, Map<String, String> labels) {
    return client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels)
        .endMetadata().build()).create();
  }

  public static BpfWasmProgram program(String namespace, String name, Map<String, String> selector, String digest) {
    var oci = new ModuleSource.OciSource();
    oci.setReference("registry.local/execsnoop:1");
    var module = new ModuleSource();
    module.setOci(oci);
    module.setDigest(digest);
    var spec = new BpfWasmProgramSpec();
    spec.setModule(module);
    spec.setNodeSelector(selector);
    spec.setArgs(List.of("--verbose"));
    var program = new BpfWasmProgram();
    program.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    program.setSpec(spec);
    return program;
  }

  public static List<BpfWasmNodeProgram> assignmentsOf(KubernetesClient client, String namespace, String program) {
    return client.resources(BpfWasmNodeProgram.class).inNamespace(namespace)
        .withLabel(Labels.PROGRAM, Labels.valueFor(program)).list().getItems();
  }

  public static List<String> assignedNodes(KubernetesClient client, String namespace, String program) {
    return assignmentsOf(client, namespace, program).stream()
        .filter(a -> a.getMetadata().getDeletionTimestamp() == null)
        .map(a -> a.getSpec().getNodeName()).sorted().toList();
  }

  public static BpfWasmProgram get(KubernetesClient client, String namespace, String name) {
    return client.resources(BpfWasmProgram.class).inNamespace(namespace).withName(name).get();
  }

  public static Optional<Condition> condition(BpfWasmProgram program, String type) {
    return program == null || program.getStatus() == null ? Optional.empty() : program.getStatus().condition(type);
  }
}
