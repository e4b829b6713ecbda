package io.bpfwasm.operator;

import io.bpfwasm.testing.ControlPlaneExtension;
import io.bpfwasm.testing.LocalControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs one operator (leader election off) against the JVM-wide control plane for the duration of a test class.
 * Register together with {@link ControlPlaneExtension}.
 */
public final class OperatorExtension implements BeforeAllCallback, AfterAllCallback {
  private KubernetesClient client;
  private BpfWasmOperator operator;

  @Override
  public void beforeAll(ExtensionContext context) {
    LocalControlPlane plane = ControlPlaneExtension.shared(context);
    // The operator's own client, built as OperatorMain builds it.
    client = OperatorClients.create(plane.config());
    operator = BpfWasmOperator.start(client,
        OperatorSettings.defaults("test-operator", "default").withLeaderElection(false), new SimpleMeterRegistry());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.close();
    }
  }
}
