package io.bpfwasm.operator.reconciler;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which assignments were found up to date, so a reconcile does not re-serialise hundreds of unchanged
 * specs every time an agent reports. Keyed by what can change a spec: the assignment's uid and metadata.generation
 * (bumped by any spec write, not by status) and the program generation it must match. Labels and owner references
 * are cheap and always compared.
 */
final class UpToDateCache {
  private static final int MAX_ENTRIES = 100_000;

  private record Key(String uid, Long generation, Long programGeneration) {}

  private final Map<Key, Boolean> known = new ConcurrentHashMap<>();

  boolean check(BpfWasmNodeProgram actual, BpfWasmNodeProgram desired) {
    if (!DesiredAssignment.metadataUpToDate(actual, desired)) {
      return false;
    }
    var key = new Key(actual.getMetadata().getUid(), actual.getMetadata().getGeneration(),
        desired.getSpec().getProgramGeneration());
    if (key.uid() == null) {
      return DesiredAssignment.specUpToDate(actual, desired);
    }
    if (known.size() > MAX_ENTRIES) {
      known.clear(); // stale entries of deleted assignments; cheap to rebuild
    }
    return known.computeIfAbsent(key, k -> DesiredAssignment.specUpToDate(actual, desired));
  }
}
