package io.bpfwasm.operator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The operator's Kubernetes client: fabric8's, except that it never reads metadata.managedFields. The operator does
 * not use them, and they are nearly half of an assignment's bytes; skipping them makes each of the tens of thousands
 * of watch events cheaper to decode and keeps them out of the informer caches. Writes are unaffected: an update
 * without managedFields leaves the apiserver's record of them as it was.
 */
public final class OperatorClients {
  private OperatorClients() {}

  public static KubernetesClient create(Config config) {
    return new KubernetesClientBuilder().withConfig(config).withKubernetesSerialization(serialization()).build();
  }

  static KubernetesSerialization serialization() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    return new KubernetesSerialization(mapper, true);
  }

  @JsonIgnoreProperties({"managedFields"})
  private abstract static class WithoutManagedFields {}
}
