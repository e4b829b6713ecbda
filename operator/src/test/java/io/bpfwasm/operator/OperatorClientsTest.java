package io.bpfwasm.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import org.junit.jupiter.api.Test;

class OperatorClientsTest {
  private static final String STORED = """
      {"apiVersion":"bpfwasm.io/v1alpha1","kind":"BpfWasmNodeProgram",
       "metadata":{"name":"prog-node-1","namespace":"bench","generation":2,"labels":{"bpfwasm.io/node":"node-1"},
        "managedFields":[{"apiVersion":"bpfwasm.io/v1alpha1","fieldsType":"FieldsV1",
          "fieldsV1":{"f:spec":{".":{},"f:nodeName":{}}},"manager":"operator","operation":"Update"}],
        "uid":"3a59af60"},
       "spec":{"nodeName":"node-1","programName":"prog","module":{"digest":"sha256:00"}},
       "status":{"observedGeneration":2,"phase":"Running"}}
      """;

  @Test
  void readsEverythingButManagedFields() {
    BpfWasmNodeProgram assignment = OperatorClients.serialization().unmarshal(STORED, BpfWasmNodeProgram.class);

    assertThat(assignment.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(assignment.getMetadata().getAdditionalProperties()).doesNotContainKey("managedFields");
    assertThat(assignment.getMetadata().getName()).isEqualTo("prog-node-1");
    assertThat(assignment.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(assignment.getMetadata().getLabels()).containsEntry("bpfwasm.io/node", "node-1");
    assertThat(assignment.getMetadata().getUid()).isEqualTo("3a59af60");
    assertThat(assignment.getSpec().getNodeName()).isEqualTo("node-1");
    assertThat(assignment.getStatus().getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void writesNoManagedFields() {
    BpfWasmNodeProgram assignment = OperatorClients.serialization().unmarshal(STORED, BpfWasmNodeProgram.class);

    assertThat(OperatorClients.serialization().asJson(assignment)).doesNotContain("managedFields")
        .contains("\"nodeName\":\"node-1\"");
  }
}
