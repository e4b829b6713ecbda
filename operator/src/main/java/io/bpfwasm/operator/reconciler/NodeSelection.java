package io.bpfwasm.operator.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Which Nodes a program's nodeSelector picks: those carrying every selector label, not being deleted. */
final class NodeSelection {
  private NodeSelection() {}

  static List<Node> matching(Map<String, String> selector, Collection<Node> nodes) {
    return nodes.stream()
        .filter(node -> node.getMetadata().getDeletionTimestamp() == null)
        .filter(node -> matches(selector, node))
        .sorted(Comparator.comparing(node -> node.getMetadata().getName()))
        .toList();
  }

  static boolean matches(Map<String, String> selector, Node node) {
    if (selector == null || selector.isEmpty()) {
      return true;
    }
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels != null && labels.entrySet().containsAll(selector.entrySet());
  }
}
