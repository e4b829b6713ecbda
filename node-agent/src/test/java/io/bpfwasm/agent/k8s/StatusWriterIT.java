package io.bpfwasm.agent.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramSpec;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramStatus;
import io.bpfwasm.api.v1alpha1.ModuleSource;
import io.bpfwasm.api.v1alpha1.NodeProgramPhase;
import io.bpfwasm.testing.ControlPlaneExtension;
import io.bpfwasm.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Status writes against a real apiserver: coalesced to one per interval, newest wins, lastError cleared. */
@ExtendWith(ControlPlaneExtension.class)
class StatusWriterIT {
    private static final String NS = "status-writer-it";

    @Test
    void aBusyReporterIsRateLimitedAndTheNewestReportWins(LocalControlPlane plane) {
        KubernetesClient client = plane.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .serverSideApply();
        var assignment = client.resource(assignment()).create();
        try (var writer = new StatusWriter(client, Duration.ofMillis(500))) {
            var failed = status(0);
            failed.setPhase(NodeProgramPhase.FAILED);
            failed.setLastError(new BpfWasmNodeProgramStatus.LastError("map events: boom", null, "2026-01-01T00:00:00Z"));
            writer.submit(assignment, failed);
            await().atMost(Duration.ofSeconds(30)).until(() -> read(client).getStatus() != null
                    && read(client).getStatus().getLastError() != null);

            long before = writer.writes();
            long start = System.nanoTime();
            for (int i = 1; i <= 1000; i++) {
                writer.submit(assignment, status(i)); // a busy program: 1000 reports in a burst
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> read(client).getStatus().getEventsDelivered() == 1000);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            long writes = writer.writes() - before;
            assertThat(writes).as("writes for 1000 reports in %d ms", elapsedMs)
                    .isLessThanOrEqualTo(2 + elapsedMs / 500);
            var status = read(client).getStatus();
            assertThat(status.getPhase()).isEqualTo(NodeProgramPhase.RUNNING);
            assertThat(status.getLastError()).as("a merge patch with an explicit null clears lastError").isNull();
            assertThat(read(client).getSpec().getProgramName()).isEqualTo("p");
        } finally {
            client.resource(assignment).delete();
        }
    }

    private static BpfWasmNodeProgramStatus status(long events) {
        var status = new BpfWasmNodeProgramStatus();
        status.setObservedGeneration(1L);
        status.setPhase(NodeProgramPhase.RUNNING);
        status.setEventsDelivered(events);
        return status;
    }

    private static BpfWasmNodeProgram read(KubernetesClient client) {
        return client.resources(BpfWasmNodeProgram.class).inNamespace(NS).withName("p-n").get();
    }

    private static BpfWasmNodeProgram assignment() {
        var spec = new BpfWasmNodeProgramSpec();
        var module = new ModuleSource();
        var cm = new ModuleSource.ConfigMapSource();
        cm.setName("m");
        cm.setKey("k");
        module.setConfigMap(cm);
        module.setDigest("sha256:" + "0".repeat(64));
        spec.setModule(module);
        spec.setNodeName("n");
        spec.setProgramName("p");
        var a = new BpfWasmNodeProgram();
        a.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("p-n").build());
        a.setSpec(spec);
        return a;
    }
}
