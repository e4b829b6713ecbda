package io.bpfwasm.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * fabric8 finds our kinds through META-INF/services, so a watch event's object is read straight into its class. An
 * unknown kind is read as a generic map and converted afterwards, which doubled the operator's cost of each of the
 * tens of thousands of assignment events in a rollout.
 */
class KindRegistrationTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Test
  void aWatchEventOfAnAssignmentIsReadAsAnAssignment() {
    WatchEvent event = JSON.unmarshal("""
        {"type": "ADDED", "object": {"apiVersion": "bpfwasm.io/v1alpha1", "kind": "BpfWasmNodeProgram",
          "metadata": {"name": "p-node-1", "namespace": "ns"}, "spec": {"nodeName": "node-1", "programName": "p"}}}
        """, WatchEvent.class);

    assertThat(event.getObject()).isInstanceOf(BpfWasmNodeProgram.class);
    assertThat(((BpfWasmNodeProgram) event.getObject()).getSpec().getNodeName()).isEqualTo("node-1");
  }

  @Test
  void bothKindsAreRegistered() {
    assertThat(JSON.<KubernetesResource>unmarshal(
        "{\"apiVersion\": \"bpfwasm.io/v1alpha1\", \"kind\": \"BpfWasmProgram\", \"metadata\": {\"name\": \"p\"}}"))
        .isInstanceOf(BpfWasmProgram.class);
    assertThat(JSON.getRegisteredKubernetesResource("bpfwasm.io/v1alpha1", "BpfWasmNodeProgram"))
        .isEqualTo(BpfWasmNodeProgram.class);
  }
}
