package io.bpfwasm.operator.status;

import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgramStatus;
import io.bpfwasm.api.v1alpha1.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a Kubernetes Event on the program when its Ready or Degraded condition changes (status or reason), so
 * `kubectl describe bwp` tells the story. An Event that cannot be written is logged, never fails a reconcile.
 */
public final class ProgramEvents {
  private static final Logger log = LoggerFactory.getLogger(ProgramEvents.class);
  static final String COMPONENT = "bpfwasm-operator";

  private final KubernetesClient client;
  private final String instance;

  public ProgramEvents(KubernetesClient client, String instance) {
    this.client = client;
    this.instance = instance;
  }

  public void recordTransitions(BpfWasmProgram program, BpfWasmProgramStatus before, BpfWasmProgramStatus after) {
    for (String type : new String[] {Conditions.READY, Conditions.DEGRADED}) {
      Optional<Condition> old = before == null ? Optional.empty() : before.condition(type);
      Optional<Condition> now = after.condition(type);
      if (now.isEmpty() || old.isPresent() && sameState(old.get(), now.get())) {
        continue;
      }
      if (old.isEmpty() && Conditions.DEGRADED.equals(type) && Conditions.FALSE.equals(now.get().getStatus())) {
        continue; // "not degraded" is news only after having been degraded
      }
      Condition c = now.get();
      boolean bad = Conditions.DEGRADED.equals(type) ? Conditions.TRUE.equals(c.getStatus())
          : Conditions.REASON_NODES_FAILED.equals(c.getReason());
      record(program, bad ? "Warning" : "Normal", c.getReason(), type + "=" + c.getStatus() + ": " + c.getMessage());
    }
  }

  private static boolean sameState(Condition a, Condition b) {
    return Objects.equals(a.getStatus(), b.getStatus()) && Objects.equals(a.getReason(), b.getReason());
  }

  public void record(BpfWasmProgram program, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var event = new EventBuilder()
        .withNewMetadata()
        .withGenerateName(program.getMetadata().getName() + ".")
        .withNamespace(program.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(program.getApiVersion())
            .withKind(program.getKind())
            .withName(program.getMetadata().getName())
            .withNamespace(program.getMetadata().getNamespace())
            .withUid(program.getMetadata().getUid())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message.length() > 1024 ? message.substring(0, 1024) : message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(instance)
        .build();
    try {
      client.v1().events().inNamespace(program.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn("cannot record event {} on {}/{}: {}", reason, program.getMetadata().getNamespace(),
          program.getMetadata().getName(), e.getCause() == null ? e.getMessage() : e.getCause().toString());
    }
  }
}
