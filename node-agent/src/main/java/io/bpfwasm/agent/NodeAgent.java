package io.bpfwasm.agent;

import io.bpfwasm.agent.k8s.AgentFinalizer;
import io.bpfwasm.agent.k8s.AssignmentWatcher;
import io.bpfwasm.agent.k8s.StatusWriter;
import io.bpfwasm.agent.source.ConfigMapFetcher;
import io.bpfwasm.agent.source.HttpsFetcher;
import io.bpfwasm.agent.source.ModuleCache;
import io.bpfwasm.agent.source.ModuleResolver;
import io.bpfwasm.agent.source.OciFetcher;
import io.bpfwasm.agent.source.OciRegistries;
import io.bpfwasm.agent.source.TrustedCertificates;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.runtime.wasibpf.BpfBackend.KernelIds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: watches this node's assignments and keeps one {@link ProgramSupervisor} per assignment. Closing it
 * (SIGTERM) stops every guest and closes every BPF object, but keeps the finalizers: the agent that starts next
 * adopts the assignments. Nothing survives a crash either — the agent's BPF links and objects are file descriptors
 * of its process — so adoption always starts from a clean kernel.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(40);

    private final AgentSettings settings;
    private final StatusWriter statusWriter;
    private final OciRegistries registries;
    private final AssignmentWatcher watcher;
    private final ProgramSupervisor.Context context;
    private final Map<String, ProgramSupervisor> supervisors = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public NodeAgent(KubernetesClient client, AgentSettings settings, MeterRegistry meters)
            throws IOException, GeneralSecurityException {
        this.settings = settings;
        this.statusWriter = new StatusWriter(client, settings.statusInterval());
        this.registries = new OciRegistries(settings.insecureRegistries(), settings.caFile());
        var cache = new ModuleCache(settings.cacheDir());
        var resolver = new ModuleResolver(cache, new OciFetcher(registries, settings.cacheDir()),
                new HttpsFetcher(TrustedCertificates.sslContext(settings.caFile())), new ConfigMapFetcher(client));
        this.context = new ProgramSupervisor.Context(resolver, statusWriter, new AgentFinalizer(client), meters,
                settings);
        Gauge.builder("bpfwasm.agent.assignments", supervisors, Map::size)
                .description("Assignments this agent supervises").register(meters);
        this.watcher = new AssignmentWatcher(client, settings.nodeName(), settings.namespaces(),
                new AssignmentWatcher.Listener() {
                    @Override
                    public void onAssignment(BpfWasmNodeProgram assignment) {
                        NodeAgent.this.onAssignment(assignment);
                    }

                    @Override
                    public void onGone(BpfWasmNodeProgram assignment) {
                        ProgramSupervisor supervisor = supervisors.get(assignment.getMetadata().getUid());
                        if (supervisor != null) {
                            supervisor.gone();
                        }
                    }
                });
    }

    public void start() {
        LOG.info("node agent for node {} watching {}; module cache {}", settings.nodeName(),
                settings.namespaces().isEmpty() ? "all namespaces" : "namespaces " + settings.namespaces(),
                settings.cacheDir());
        watcher.start();
    }

    /** Ready once the assignments have been listed. */
    public boolean isReady() {
        return !closed && watcher.hasSynced();
    }

    public boolean isAlive() {
        return !closed;
    }

    /** Kernel ids held by the guest of this assignment uid now (for tests and diagnostics). */
    public List<KernelIds> kernelIds(String assignmentUid) {
        ProgramSupervisor supervisor = supervisors.get(assignmentUid);
        return supervisor == null ? List.of() : supervisor.kernelIds();
    }

    /** Assignments supervised right now. */
    public int supervised() {
        return supervisors.size();
    }

    private void onAssignment(BpfWasmNodeProgram assignment) {
        if (closed) {
            return;
        }
        String uid = assignment.getMetadata().getUid();
        ProgramSupervisor existing = supervisors.get(uid);
        if (existing != null) {
            existing.update(assignment);
            return;
        }
        if (assignment.getMetadata().getDeletionTimestamp() != null && !AgentFinalizer.held(assignment)) {
            return; // being deleted and never ours: nothing to clean up
        }
        var supervisor = new ProgramSupervisor(context, assignment);
        supervisors.put(uid, supervisor);
        supervisor.done().thenRun(() -> supervisors.remove(uid, supervisor));
        supervisor.start();
    }

    /** Stops every guest and waits until their BPF objects are closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        watcher.close();
        List<CompletableFuture<Void>> stopping = supervisors.values().stream().map(ProgramSupervisor::shutdown)
                .toList();
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                    .get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("node agent stopped: {} guest(s) stopped, their BPF objects closed", stopping.size());
        } catch (TimeoutException e) {
            LOG.error("node agent: some guests did not stop within {}", SHUTDOWN_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.error("node agent: stopping failed", e.getCause());
        }
        statusWriter.close();
        registries.close();
    }
}
