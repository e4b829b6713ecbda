package io.bpfwasm.agent.k8s;

import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of assignment status. Writes a JSON merge patch of the status subresource (the agent never
 * touches spec), at most once per {@code minInterval} per assignment: reports submitted in between are coalesced and
 * the newest is written when the interval has passed, so a busy program cannot flood the apiserver, and no report is
 * lost. A report equal to the last one written (ignoring updatedAt) is not written at all. Failed writes are retried.
 */
public final class StatusWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
    private final KubernetesClient client;
    private final long minIntervalNanos;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("bpfwasm-status-writer").daemon(true).factory());
    private final Map<Key, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();

    public StatusWriter(KubernetesClient client, Duration minInterval) {
        this.client = client;
        this.minIntervalNanos = minInterval.toNanos();
    }

    private record Key(String namespace, String name) {
        static Key of(BpfWasmNodeProgram assignment) {
            return new Key(assignment.getMetadata().getNamespace(), assignment.getMetadata().getName());
        }
    }

    private static final class Slot {
        BpfWasmNodeProgramStatus pending;
        Map<String, Object> lastWritten;
        long nextAllowedNanos = Long.MIN_VALUE;
        boolean scheduled;
    }

    /** Queues a report; returns at once. */
    public void submit(BpfWasmNodeProgram assignment, BpfWasmNodeProgramStatus status) {
        Key key = Key.of(assignment);
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        synchronized (slot) {
            slot.pending = status;
            if (!slot.scheduled) {
                slot.scheduled = true;
                schedule(key, slot);
            }
        }
    }

    /** Forgets an assignment that no longer exists (pending reports are dropped). */
    public void forget(BpfWasmNodeProgram assignment) {
        slots.remove(Key.of(assignment));
    }

    /** Status writes made so far (for tests and diagnostics). */
    public long writes() {
        return writes.get();
    }

    private void schedule(Key key, Slot slot) {
        long delay = slot.nextAllowedNanos == Long.MIN_VALUE ? 0
                : Math.max(0, slot.nextAllowedNanos - System.nanoTime());
        try {
            executor.schedule(() -> flush(key, slot, true), delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            slot.scheduled = false;
        }
    }

    private void flush(Key key, Slot slot, boolean retry) {
        BpfWasmNodeProgramStatus status;
        synchronized (slot) {
            status = slot.pending;
            slot.pending = null;
            slot.scheduled = false;
        }
        if (status == null || slots.get(key) != slot) {
            return;
        }
        Map<String, Object> json = toJson(status);
        Map<String, Object> comparable = new LinkedHashMap<>(json);
        comparable.remove("updatedAt");
        if (comparable.equals(slot.lastWritten)) {
            return;
        }
        try {
            String patch = client.getKubernetesSerialization().asJson(Map.of("status", json));
            client.resources(BpfWasmNodeProgram.class).inNamespace(key.namespace()).withName(key.name())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            writes.incrementAndGet();
            synchronized (slot) {
                slot.lastWritten = comparable;
                slot.nextAllowedNanos = System.nanoTime() + minIntervalNanos;
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                slots.remove(key, slot); // deleted meanwhile: nothing left to report on
                return;
            }
            LOG.warn("assignment {}/{}: writing status failed ({}){}", key.namespace(), key.name(),
                    e.getMessage(), retry ? "; retrying" : "");
            if (!retry) {
                return;
            }
            synchronized (slot) {
                if (slot.pending == null) {
                    slot.pending = status;
                }
                slot.nextAllowedNanos = System.nanoTime() + Math.max(minIntervalNanos, TimeUnit.SECONDS.toNanos(1));
                if (!slot.scheduled) {
                    slot.scheduled = true;
                    schedule(key, slot);
                }
            }
        }
    }

    // Explicit nulls: a merge patch must clear lastError and startedAt when the report no longer has them.
    @SuppressWarnings("unchecked")
    private Map<String, Object> toJson(BpfWasmNodeProgramStatus status) {
        Map<String, Object> json = new LinkedHashMap<>(
                client.getKubernetesSerialization().convertValue(status, Map.class));
        json.putIfAbsent("lastError", null);
        json.putIfAbsent("startedAt", null);
        json.putIfAbsent("digest", null);
        json.entrySet().removeIf(e -> Objects.equals(e.getKey(), "observedGeneration") && e.getValue() == null);
        return json;
    }

    /**
     * Stops writing, after writing each assignment's newest unwritten report at once (ignoring the interval): the
     * agent's last word, e.g. that it stopped its guests, must not be lost to rate limiting. Gives up after
     * {@code deadline}.
     */
    public void close(Duration deadline) {
        executor.shutdownNow();
        long end = System.nanoTime() + deadline.toNanos();
        try {
            executor.awaitTermination(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (var entry : slots.entrySet()) {
            if (System.nanoTime() > end) {
                LOG.warn("status writer: {} report(s) left unwritten at shutdown", slots.size());
                return;
            }
            try {
                flush(entry.getKey(), entry.getValue(), false);
            } catch (RuntimeException e) {
                LOG.warn("assignment {}: final status write failed: {}", entry.getKey(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
