package io.bpfwasm.operator.status;

import static io.bpfwasm.api.v1alpha1.Conditions.DEGRADED;
import static io.bpfwasm.api.v1alpha1.Conditions.FALSE;
import static io.bpfwasm.api.v1alpha1.Conditions.PROGRESSING;
import static io.bpfwasm.api.v1alpha1.Conditions.READY;
import static io.bpfwasm.api.v1alpha1.Conditions.TRUE;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmProgramStatus;
import io.bpfwasm.api.v1alpha1.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one place that computes a program's status: node counts and the Ready / Progressing / Degraded conditions,
 * from the selected nodes and their assignments. Pure: same inputs, same status (lastTransitionTime is kept from the
 * previous status while a condition's status does not change).
 */
public final class StatusAggregator {
  private static final int NAMES_IN_MESSAGE = 5;

  private StatusAggregator() {}

  /**
   * @param selectedNodes names of the Nodes the program's selector matches
   * @param assignmentsByNode the assignments that carry the program's current run spec, by node name
   */
  public static BpfWasmProgramStatus aggregate(BpfWasmProgram program, List<String> selectedNodes,
      Map<String, BpfWasmNodeProgram> assignmentsByNode, Instant now) {
    long generation = program.getMetadata().getGeneration();
    List<String> ready = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> progressing = new ArrayList<>();
    for (String node : selectedNodes) {
      switch (NodeState.of(program, assignmentsByNode.get(node))) {
        case READY -> ready.add(node);
        case FAILED -> failed.add(node);
        case PROGRESSING -> progressing.add(node);
      }
    }
    int desired = selectedNodes.size();

    var status = new BpfWasmProgramStatus();
    status.setObservedGeneration(generation);
    status.setDesiredNodes(desired);
    status.setReadyNodes(ready.size());
    status.setFailedNodes(failed.size());
    status.setNodes(ready.size() + "/" + desired);
    String digest = runningDigest(ready, assignmentsByNode);
    status.setDigest(digest);
    status.setShortDigest(digest == null ? null : digest.substring(digest.indexOf(':') + 1,
        Math.min(digest.length(), digest.indexOf(':') + 13)));

    Previous previous = new Previous(program.getStatus(), generation, now);
    boolean paused = program.getSpec().isPaused();
    if (desired == 0) {
      String message = noMatchMessage(program.getSpec().getNodeSelector());
      status.setConditions(List.of(
          previous.condition(READY, FALSE, Conditions.REASON_NO_MATCHING_NODES, message),
          previous.condition(PROGRESSING, FALSE, Conditions.REASON_NO_MATCHING_NODES, message),
          previous.condition(DEGRADED, FALSE, Conditions.REASON_NO_FAILURES, "no node reports a failure")));
      return status;
    }

    Condition readyCondition;
    if (ready.size() == desired) {
      readyCondition = paused
          ? previous.condition(READY, TRUE, Conditions.REASON_PAUSED, desired + "/" + desired + " nodes paused")
          : previous.condition(READY, TRUE, Conditions.REASON_ALL_NODES_READY,
              desired + "/" + desired + " nodes run " + digest);
    } else if (!failed.isEmpty()) {
      readyCondition = previous.condition(READY, FALSE, Conditions.REASON_NODES_FAILED,
          failureMessage(failed, desired, assignmentsByNode));
    } else {
      readyCondition = previous.condition(READY, FALSE, Conditions.REASON_ROLLING_OUT,
          ready.size() + "/" + desired + " nodes ready; waiting for " + names(progressing));
    }
    Condition progressingCondition = progressing.isEmpty()
        ? previous.condition(PROGRESSING, FALSE, Conditions.REASON_UP_TO_DATE, "no node is still rolling out")
        : previous.condition(PROGRESSING, TRUE, Conditions.REASON_ROLLING_OUT,
            progressing.size() + "/" + desired + " nodes rolling out: " + names(progressing));
    Condition degradedCondition = failed.isEmpty()
        ? previous.condition(DEGRADED, FALSE, Conditions.REASON_NO_FAILURES, "no node reports a failure")
        : previous.condition(DEGRADED, TRUE, Conditions.REASON_NODES_FAILED,
            failureMessage(failed, desired, assignmentsByNode));
    status.setConditions(List.of(readyCondition, progressingCondition, degradedCondition));
    return status;
  }

  /** The status of a program being deleted, while {@code remaining} nodes have not cleaned up yet. */
  public static BpfWasmProgramStatus deleting(BpfWasmProgram program, Collection<String> remaining, Instant now) {
    var status = new BpfWasmProgramStatus();
    var old = program.getStatus();
    if (old != null) {
      status.setDesiredNodes(old.getDesiredNodes());
      status.setReadyNodes(old.getReadyNodes());
      status.setFailedNodes(old.getFailedNodes());
      status.setNodes(old.getNodes());
      status.setDigest(old.getDigest());
      status.setShortDigest(old.getShortDigest());
    }
    long generation = program.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    Previous previous = new Previous(old, generation, now);
    String message = "waiting for " + remaining.size() + " node(s) to unload the program: "
        + names(remaining.stream().sorted().toList());
    status.setConditions(List.of(
        previous.condition(READY, FALSE, Conditions.REASON_DELETING, message),
        previous.condition(PROGRESSING, TRUE, Conditions.REASON_DELETING, message),
        previous.condition(DEGRADED, FALSE, Conditions.REASON_NO_FAILURES, "no node reports a failure")));
    return status;
  }

  // The digest most ready nodes report; during a rollout the old one until most nodes run the new one.
  private static String runningDigest(List<String> ready, Map<String, BpfWasmNodeProgram> assignmentsByNode) {
    return ready.stream()
        .map(node -> assignmentsByNode.get(node).getStatus().getDigest())
        .filter(Objects::nonNull)
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
        .entrySet().stream()
        .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  private static String failureMessage(List<String> failed, int desired,
      Map<String, BpfWasmNodeProgram> assignmentsByNode) {
    String first = failed.get(0);
    var lastError = assignmentsByNode.get(first).getStatus().getLastError();
    String detail = lastError == null || lastError.getMessage() == null ? "no error message" : lastError.getMessage();
    return failed.size() + "/" + desired + " nodes failed (" + names(failed) + "); " + first + ": " + detail;
  }

  private static String noMatchMessage(Map<String, String> selector) {
    if (selector == null || selector.isEmpty()) {
      return "no Node exists in the cluster";
    }
    String labels = selector.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    return "nodeSelector " + labels + " matches no Node";
  }

  private static String names(List<String> nodes) {
    List<String> sorted = nodes.stream().sorted(Comparator.naturalOrder()).toList();
    String shown = String.join(", ", sorted.subList(0, Math.min(NAMES_IN_MESSAGE, sorted.size())));
    return sorted.size() > NAMES_IN_MESSAGE ? shown + " and " + (sorted.size() - NAMES_IN_MESSAGE) + " more" : shown;
  }

  /** Builds conditions that keep the previous lastTransitionTime when their status is unchanged. */
  private record Previous(BpfWasmProgramStatus old, long generation, Instant now) {
    Condition condition(String type, String status, String reason, String message) {
      String transition = old == null ? null : old.condition(type)
          .filter(c -> status.equals(c.getStatus()))
          .map(Condition::getLastTransitionTime)
          .orElse(null);
      if (transition == null) {
        transition = now.truncatedTo(ChronoUnit.SECONDS).toString();
      }
      return new ConditionBuilder()
          .withType(type)
          .withStatus(status)
          .withReason(reason)
          .withMessage(message)
          .withObservedGeneration(generation)
          .withLastTransitionTime(transition)
          .build();
    }
  }
}
