package io.bpfwasm.operator.reconciler;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgramStatus;
import io.bpfwasm.api.v1alpha1.Labels;
import io.bpfwasm.operator.status.ProgramEvents;
import io.bpfwasm.operator.status.StatusAggregator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link BpfWasmProgram} into one {@link BpfWasmNodeProgram} per matching Node, and the nodes' reports into
 * the program's status.
 *
 * <p>Triggers: the program itself, any of its assignments (by the {@link Labels#PROGRAM} label), and Node label
 * changes (mapped to every program, since any of them may start or stop matching). Deletion is explicit: the
 * operator's finalizer stays until every assignment is gone, i.e. until each agent has released its own finalizer
 * (or the operator has, for a Node that no longer exists).
 */
@ControllerConfiguration(name = BpfWasmProgramReconciler.NAME, finalizerName = Labels.OPERATOR_FINALIZER)
@GradualRetry(maxAttempts = -1, initialInterval = 500, intervalMultiplier = 2, maxInterval = 30_000)
public class BpfWasmProgramReconciler implements Reconciler<BpfWasmProgram>, Cleaner<BpfWasmProgram> {
  public static final String NAME = "bpfwasmprogram";
  private static final String ASSIGNMENTS = "assignments";
  private static final Logger log = LoggerFactory.getLogger(BpfWasmProgramReconciler.class);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  // Safety net while deleting: assignment events normally wake the cleanup up long before this.
  private static final long DELETION_RECHECK_MILLIS = 30_000;

  private final ProgramEvents events;
  private final Clock clock;
  private final UpToDateCache upToDate = new UpToDateCache();

  public BpfWasmProgramReconciler(ProgramEvents events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, BpfWasmProgram>> prepareEventSources(EventSourceContext<BpfWasmProgram> context) {
    var nodes = InformerEventSourceConfiguration.from(Node.class, BpfWasmProgram.class)
        .withName("nodes")
        .withSecondaryToPrimaryMapper(node -> context.getPrimaryCache().list()
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        // Kubelets rewrite Node status every few seconds; only label changes can change a selection.
        .withOnUpdateFilter((newNode, oldNode) ->
            !Objects.equals(newNode.getMetadata().getLabels(), oldNode.getMetadata().getLabels())
                || !Objects.equals(newNode.getMetadata().getDeletionTimestamp(),
                    oldNode.getMetadata().getDeletionTimestamp()))
        .build();
    var assignments = InformerEventSourceConfiguration.from(BpfWasmNodeProgram.class, BpfWasmProgram.class)
        .withName(ASSIGNMENTS)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(assignment -> Set.of(new ResourceID(
            assignment.getSpec().getProgramName(), assignment.getMetadata().getNamespace())))
        .build();
    return List.of(new InformerEventSource<>(nodes, context), new InformerEventSource<>(assignments, context));
  }

  @Override
  public UpdateControl<BpfWasmProgram> reconcile(BpfWasmProgram program, Context<BpfWasmProgram> context) {
    KubernetesClient client = context.getClient();
    var writer = new AssignmentWriter(client);
    List<Node> allNodes = nodes(context);
    Set<String> existingNodes = allNodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    List<String> selected = NodeSelection.matching(program.getSpec().getNodeSelector(), allNodes).stream()
        .map(n -> n.getMetadata().getName()).toList();
    Map<String, BpfWasmNodeProgram> assignments = assignmentsByNode(context);

    List<Runnable> creates = new ArrayList<>();
    List<Runnable> updates = new ArrayList<>();
    List<Runnable> deletes = new ArrayList<>();
    // Assignments that already carry the program's current run spec; only their reports count towards the status.
    Map<String, BpfWasmNodeProgram> current = new HashMap<>();
    for (String node : selected) {
      BpfWasmNodeProgram desired = DesiredAssignment.desired(program, node);
      BpfWasmNodeProgram actual = assignments.get(node);
      if (actual == null) {
        // Put what we created into the informer's cache at once: the reconcile that the next assignment event
        // triggers must not try to create again all the assignments whose own events have not arrived yet.
        creates.add(() -> writer.create(desired).ifPresent(created ->
            assignmentSource(context).handleRecentResourceCreate(ResourceID.fromResource(program), created)));
      } else if (actual.getMetadata().getDeletionTimestamp() != null) {
        continue; // recreated once its agent has let go of it
      } else if (upToDate.check(actual, desired)) {
        current.put(node, actual);
      } else {
        updates.add(() -> writer.update(actual, desired));
      }
    }
    Set<String> wanted = new HashSet<>(selected);
    for (var entry : assignments.entrySet()) {
      if (wanted.contains(entry.getKey())) {
        continue;
      }
      if (existingNodes.contains(entry.getKey()) || nodeExists(client, entry.getKey())) {
        deletes.add(() -> writer.delete(entry.getValue()));
      } else {
        deletes.add(() -> writer.deleteForVanishedNode(entry.getValue()));
      }
    }
    List<Runnable> writes = new ArrayList<>(creates);
    writes.addAll(updates);
    writes.addAll(deletes);
    if (!writes.isEmpty()) {
      ParallelWrites.runAll(writes);
      log.info("program {}/{}: {} assignment create(s), {} update(s), {} delete(s)",
          program.getMetadata().getNamespace(), program.getMetadata().getName(), creates.size(), updates.size(),
          deletes.size());
    }

    BpfWasmProgramStatus before = program.getStatus();
    BpfWasmProgramStatus after = StatusAggregator.aggregate(program, selected, current, clock.instant());
    if (sameJson(before, after)) {
      return UpdateControl.noUpdate();
    }
    events.recordTransitions(program, before, after);
    log.debug("program {}/{}: {} ready of {} desired, {} failed", program.getMetadata().getNamespace(),
        program.getMetadata().getName(), after.getReadyNodes(), after.getDesiredNodes(), after.getFailedNodes());
    program.setStatus(after);
    return UpdateControl.patchStatus(program);
  }

  @Override
  public DeleteControl cleanup(BpfWasmProgram program, Context<BpfWasmProgram> context) {
    KubernetesClient client = context.getClient();
    var writer = new AssignmentWriter(client);
    // Ask the apiserver, not the cache: a stale cache must never let the finalizer go while assignments remain.
    List<BpfWasmNodeProgram> remaining = client.resources(BpfWasmNodeProgram.class)
        .inNamespace(program.getMetadata().getNamespace())
        .withLabel(Labels.PROGRAM, Labels.valueFor(program.getMetadata().getName()))
        .list().getItems().stream()
        .filter(a -> program.getMetadata().getName().equals(a.getSpec().getProgramName()))
        .toList();
    if (remaining.isEmpty()) {
      log.info("program {}/{}: every node cleaned up; releasing the operator finalizer",
          program.getMetadata().getNamespace(), program.getMetadata().getName());
      return DeleteControl.defaultDelete();
    }
    ParallelWrites.runAll(remaining.stream().<Runnable>map(assignment -> () -> {
      if (nodeExists(client, assignment.getSpec().getNodeName())) {
        writer.delete(assignment);
      } else {
        writer.deleteForVanishedNode(assignment);
      }
    }).toList());
    List<String> waitingFor = remaining.stream().map(a -> a.getSpec().getNodeName()).toList();
    BpfWasmProgramStatus deleting = StatusAggregator.deleting(program, waitingFor, clock.instant());
    if (!sameJson(program.getStatus(), deleting)) {
      events.recordTransitions(program, program.getStatus(), deleting);
      // A merge patch of status alone, without resourceVersion: agents' updates to the program's finalizers
      // or metadata must not make this fail with a conflict.
      var patch = new BpfWasmProgram();
      patch.setMetadata(new ObjectMetaBuilder().withName(program.getMetadata().getName())
          .withNamespace(program.getMetadata().getNamespace()).build());
      patch.setStatus(deleting);
      client.resources(BpfWasmProgram.class).inNamespace(program.getMetadata().getNamespace())
          .withName(program.getMetadata().getName()).patchStatus(patch);
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(DELETION_RECHECK_MILLIS);
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<BpfWasmNodeProgram, BpfWasmProgram> assignmentSource(
      Context<BpfWasmProgram> context) {
    return (InformerEventSource<BpfWasmNodeProgram, BpfWasmProgram>) context.eventSourceRetriever()
        .getEventSourceFor(BpfWasmNodeProgram.class, ASSIGNMENTS);
  }

  @SuppressWarnings("unchecked")
  private static List<Node> nodes(Context<BpfWasmProgram> context) {
    return ((InformerEventSource<Node, BpfWasmProgram>) context.eventSourceRetriever()
        .getEventSourceFor(Node.class, "nodes")).list().toList();
  }

  // One assignment per node; if a stale duplicate exists, prefer the live one over one being deleted.
  private static Map<String, BpfWasmNodeProgram> assignmentsByNode(Context<BpfWasmProgram> context) {
    Map<String, BpfWasmNodeProgram> byNode = new HashMap<>();
    for (BpfWasmNodeProgram assignment : context.getSecondaryResources(BpfWasmNodeProgram.class)) {
      byNode.merge(assignment.getSpec().getNodeName(), assignment,
          (a, b) -> a.getMetadata().getDeletionTimestamp() == null ? a : b);
    }
    return byNode;
  }

  private static boolean nodeExists(KubernetesClient client, String node) {
    return client.nodes().withName(node).get() != null;
  }

  private static boolean sameJson(Object a, Object b) {
    return Objects.equals(JSON.convertValue(a, Map.class), JSON.convertValue(b, Map.class));
  }
}
