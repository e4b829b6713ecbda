package io.bpfwasm.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfwasm.api.v1alpha1.Labels;
import io.bpfwasm.operator.TestResources;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredAssignmentTest {

  @Test
  void copiesTheRunSpecAndNamesNodeProgramAndGeneration() {
    var program = TestResources.program("ns", "execsnoop", Map.of("role", "probe"), TestResources.DIGEST_A);
    program.getMetadata().setGeneration(7L);
    program.getMetadata().setUid("uid-1");
    var desired = DesiredAssignment.desired(program, "node-1");
    assertThat(desired.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(desired.getMetadata().getName()).startsWith("execsnoop-node-1-").hasSize("execsnoop-node-1-".length() + 8);
    assertThat(desired.getMetadata().getLabels())
        .containsEntry(Labels.PROGRAM, "execsnoop").containsEntry(Labels.NODE, "node-1");
    assertThat(desired.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    assertThat(desired.getSpec().getModule().getDigest()).isEqualTo(TestResources.DIGEST_A);
    assertThat(desired.getSpec().getArgs()).containsExactly("--verbose");
    assertThat(desired.getSpec().getProgramGeneration()).isEqualTo(7L);
    assertThat(desired.getSpec().getNodeName()).isEqualTo("node-1");
  }

  @Test
  void upToDateIgnoresStatusAndExtraLabelsButNotSpec() {
    var program = TestResources.program("ns", "p", Map.of(), TestResources.DIGEST_A);
    program.getMetadata().setGeneration(1L);
    var actual = DesiredAssignment.desired(program, "n");
    actual.getMetadata().setLabels(new java.util.HashMap<>(actual.getMetadata().getLabels()));
    actual.getMetadata().getLabels().put("team", "x");
    assertThat(DesiredAssignment.upToDate(actual, DesiredAssignment.desired(program, "n"))).isTrue();

    program.getSpec().setNodeSelector(Map.of("wider", "selection"));
    program.getMetadata().setGeneration(2L);
    assertThat(DesiredAssignment.upToDate(actual, DesiredAssignment.desired(program, "n")))
        .as("a selector change leaves running nodes alone").isTrue();

    program.getSpec().setArgs(List.of("--other"));
    program.getMetadata().setGeneration(3L);
    assertThat(DesiredAssignment.upToDate(actual, DesiredAssignment.desired(program, "n"))).isFalse();
  }

  @Test
  void namesStayDistinctAndValidForAmbiguousAndLongNames() {
    assertThat(AssignmentNames.nameFor("a-b", "c")).isNotEqualTo(AssignmentNames.nameFor("a", "b-c"));
    String longName = AssignmentNames.nameFor("p".repeat(200), "n".repeat(200));
    assertThat(longName).hasSizeLessThanOrEqualTo(253).matches("[a-z0-9.-]+");
    String cutAtDot = AssignmentNames.nameFor("p".repeat(243) + ".x", "node");
    assertThat(cutAtDot).matches("[a-z0-9]+(-[a-z0-9]+)*").doesNotContain(".-");
  }

  @Test
  void labelValuesOfLongNamesFitAndStayDistinct() {
    String a = Labels.valueFor("node-" + "x".repeat(100));
    String b = Labels.valueFor("node-" + "x".repeat(101));
    assertThat(a).hasSizeLessThanOrEqualTo(63).isNotEqualTo(b).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    assertThat(Labels.valueFor("short")).isEqualTo("short");
  }

  @Test
  void selectorMatchesAllLabelsAndSkipsNodesBeingDeleted() {
    var probe = new NodeBuilder().withNewMetadata().withName("b").withLabels(Map.of("role", "probe", "z", "1"))
        .endMetadata().build();
    var web = new NodeBuilder().withNewMetadata().withName("a").withLabels(Map.of("role", "web")).endMetadata()
        .build();
    var leaving = new NodeBuilder().withNewMetadata().withName("c").withLabels(Map.of("role", "probe"))
        .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
    assertThat(NodeSelection.matching(Map.of("role", "probe"), List.of(probe, web, leaving)))
        .extracting(n -> n.getMetadata().getName()).containsExactly("b");
    assertThat(NodeSelection.matching(Map.of(), List.of(probe, web)))
        .extracting(n -> n.getMetadata().getName()).containsExactly("a", "b");
  }
}
