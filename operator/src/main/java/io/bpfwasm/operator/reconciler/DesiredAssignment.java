package io.bpfwasm.operator.reconciler;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramSpec;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.Labels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Objects;

/**
 * The assignment a node should have for a program (the "dependent resource"): {@link #desired} is pure, and
 * {@link #upToDate} says whether an existing assignment already matches it.
 */
final class DesiredAssignment {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private DesiredAssignment() {}

  static BpfWasmNodeProgram desired(BpfWasmProgram program, String nodeName) {
    String programName = program.getMetadata().getName();
    var spec = new BpfWasmNodeProgramSpec();
    program.getSpec().copyTo(spec);
    spec.setNodeName(nodeName);
    spec.setProgramName(programName);
    spec.setProgramGeneration(program.getMetadata().getGeneration());

    var assignment = new BpfWasmNodeProgram();
    assignment.setMetadata(new ObjectMetaBuilder()
        .withName(AssignmentNames.nameFor(programName, nodeName))
        .withNamespace(program.getMetadata().getNamespace())
        .withLabels(labels(programName, nodeName))
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(program.getApiVersion())
            .withKind(program.getKind())
            .withName(programName)
            .withUid(program.getMetadata().getUid())
            .withController(true)
            .build())
        .build());
    assignment.setSpec(spec);
    return assignment;
  }

  static Map<String, String> labels(String programName, String nodeName) {
    return Map.of(Labels.PROGRAM, Labels.valueFor(programName), Labels.NODE, Labels.valueFor(nodeName));
  }

  /** True when {@code actual} has the desired spec, labels and owner; status and other metadata are the agent's. */
  static boolean upToDate(BpfWasmNodeProgram actual, BpfWasmNodeProgram desired) {
    return metadataUpToDate(actual, desired) && specUpToDate(actual, desired);
  }

  static boolean metadataUpToDate(BpfWasmNodeProgram actual, BpfWasmNodeProgram desired) {
    Map<String, String> actualLabels = actual.getMetadata().getLabels();
    return actualLabels != null
        && actualLabels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet())
        && Objects.equals(actual.getMetadata().getOwnerReferences(), desired.getMetadata().getOwnerReferences());
  }

  /**
   * Compares everything but programGeneration, which only records when the spec was copied: a program change that
   * leaves a node's run spec alone (say, a wider nodeSelector) must not make running nodes start over.
   */
  static boolean specUpToDate(BpfWasmNodeProgram actual, BpfWasmNodeProgram desired) {
    return specWithoutGeneration(actual).equals(specWithoutGeneration(desired));
  }

  private static Map<?, ?> specWithoutGeneration(BpfWasmNodeProgram assignment) {
    Map<?, ?> spec = JSON.convertValue(assignment.getSpec(), Map.class);
    spec.remove("programGeneration");
    return spec;
  }
}
