package io.bpfwasm.operator.reconciler;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.Labels;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of assignment objects: create, update spec, delete, and release a vanished node's finalizer. Single
 * writes log at debug: a program rolling out to 500 nodes would otherwise log 500 lines; the reconciler logs a summary.
 */
final class AssignmentWriter {
  private static final Logger log = LoggerFactory.getLogger(AssignmentWriter.class);

  private final KubernetesClient client;

  AssignmentWriter(KubernetesClient client) {
    this.client = client;
  }

  /** Returns the created assignment, or empty if it exists already. */
  Optional<BpfWasmNodeProgram> create(BpfWasmNodeProgram desired) {
    try {
      BpfWasmNodeProgram created = client.resource(desired).create();
      log.debug("created assignment {}/{} for node {}", namespace(desired), name(desired),
          desired.getSpec().getNodeName());
      return Optional.of(created);
    } catch (KubernetesClientException e) {
      // The informer cache lags our own writes; the object exists, its event will trigger the next reconcile.
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return Optional.empty();
    }
  }

  void update(BpfWasmNodeProgram actual, BpfWasmNodeProgram desired) {
    client.resources(BpfWasmNodeProgram.class).inNamespace(namespace(actual)).withName(name(actual)).edit(current -> {
      current.getMetadata().getLabels().putAll(desired.getMetadata().getLabels());
      current.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
      current.setSpec(desired.getSpec());
      return current;
    });
    log.debug("updated assignment {}/{} to program generation {}", namespace(actual), name(actual),
        desired.getSpec().getProgramGeneration());
  }

  void delete(BpfWasmNodeProgram actual) {
    if (actual.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    client.resource(actual).delete();
    log.debug("deleted assignment {}/{} (node {})", namespace(actual), name(actual), actual.getSpec().getNodeName());
  }

  /**
   * Deletes an assignment whose Node no longer exists and removes the agent's finalizer from it: no agent is left to
   * clean up, and the finalizer would otherwise block the program's deletion forever.
   */
  void deleteForVanishedNode(BpfWasmNodeProgram actual) {
    delete(actual);
    if (actual.getMetadata().getFinalizers() == null
        || !actual.getMetadata().getFinalizers().contains(Labels.AGENT_FINALIZER)) {
      return;
    }
    try {
      client.resources(BpfWasmNodeProgram.class).inNamespace(namespace(actual)).withName(name(actual))
          .edit(current -> {
            current.getMetadata().getFinalizers().remove(Labels.AGENT_FINALIZER);
            return current;
          });
      log.info("released agent finalizer of {}/{}: node {} no longer exists", namespace(actual), name(actual),
          actual.getSpec().getNodeName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  private static String name(BpfWasmNodeProgram assignment) {
    return assignment.getMetadata().getName();
  }

  private static String namespace(BpfWasmNodeProgram assignment) {
    return assignment.getMetadata().getNamespace();
  }
}
