package io.bpfwasm.operator;

import static io.bpfwasm.operator.TestResources.DIGEST_A;
import static io.bpfwasm.operator.TestResources.assignedNodes;
import static io.bpfwasm.operator.TestResources.createNode;
import static io.bpfwasm.operator.TestResources.program;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.testing.ControlPlaneExtension;
import io.bpfwasm.testing.LocalControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two operator instances share one Lease: exactly one reconciles, and the other takes over when it stops. */
@ExtendWith(ControlPlaneExtension.class)
class LeaderElectionIT {
  static final String NS = "leader-it";
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) {
      closeable.close();
    }
  }

  @Test
  void oneLeaderReconcilesAndTheOtherTakesOver(LocalControlPlane plane) {
    KubernetesClient client = plane.client();
    TestResources.createNamespace(client, NS);
    BpfWasmOperator first = start(plane, "operator-1");
    BpfWasmOperator second = start(plane, "operator-2");

    await().atMost(TIMEOUT).until(() -> first.isLeader() || second.isLeader());
    BpfWasmOperator leader = first.isLeader() ? first : second;
    BpfWasmOperator standby = leader == first ? second : first;
    assertThat(standby.isLeader()).isFalse();
    assertThat(standby.isReady()).as("a standby is healthy and ready to take over").isTrue();
    assertThat(client.leases().inNamespace(NS).withName("leader-it").get().getSpec().getHolderIdentity())
        .isEqualTo(leader.identity());

    createNode(client, "leader-node", Map.of("case", "leader"));
    client.resource(program(NS, "before", Map.of("case", "leader"), DIGEST_A)).create();
    await().atMost(TIMEOUT).until(() -> assignedNodes(client, NS, "before").equals(List.of("leader-node")));
    assertThat(standby.isLeader()).isFalse();

    leader.close();
    await().atMost(TIMEOUT).until(standby::isLeader);
    assertThat(client.leases().inNamespace(NS).withName("leader-it").get().getSpec().getHolderIdentity())
        .isEqualTo(standby.identity());
    client.resource(program(NS, "after", Map.of("case", "leader"), DIGEST_A)).create();
    await().atMost(TIMEOUT).until(() -> assignedNodes(client, NS, "after").equals(List.of("leader-node")));
  }

  private BpfWasmOperator start(LocalControlPlane plane, String identity) {
    // Each instance has its own client, like separate pods.
    KubernetesClient client = new KubernetesClientBuilder().withConfig(plane.config()).build();
    toClose.add(client);
    OperatorSettings settings = OperatorSettings.defaults(identity, NS)
        .withLeaseName("leader-it")
        .withNamespaces(Set.of(NS))
        .withExitOnLostLease(false)
        .withLeaseTimings(Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMillis(500));
    BpfWasmOperator operator = BpfWasmOperator.start(client, settings, new SimpleMeterRegistry());
    toClose.add(operator);
    return operator;
  }
}
