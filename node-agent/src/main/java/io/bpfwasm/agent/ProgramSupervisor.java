package io.bpfwasm.agent;

import io.bpfwasm.agent.k8s.AgentFinalizer;
import io.bpfwasm.agent.k8s.StatusWriter;
import io.bpfwasm.agent.source.Digests;
import io.bpfwasm.agent.source.ModuleResolver;
import io.bpfwasm.agent.source.SourceException;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgram;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramStatus;
import io.bpfwasm.api.v1alpha1.BpfWasmNodeProgramStatus.LastError;
import io.bpfwasm.api.v1alpha1.Engine;
import io.bpfwasm.api.v1alpha1.EnvVar;
import io.bpfwasm.api.v1alpha1.NodeProgramPhase;
import io.bpfwasm.api.v1alpha1.RunSpec;
import io.bpfwasm.runtime.LineOutputStream;
import io.bpfwasm.runtime.ProgramHost;
import io.bpfwasm.runtime.ProgramResult;
import io.bpfwasm.runtime.ProgramSpec;
import io.bpfwasm.runtime.Units;
import io.bpfwasm.runtime.wasibpf.AttachPolicy;
import io.bpfwasm.runtime.wasibpf.BpfBackend.KernelIds;
import io.bpfwasm.runtime.wasibpf.BpfFailure;
import io.bpfwasm.runtime.wasibpf.KernelBpf;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one assignment on this node, on its own virtual thread: takes the agent finalizer, resolves and verifies the
 * module, runs it in a {@link ProgramHost}, restarts an ended guest with exponential backoff, replaces the instance
 * when the spec changes, reports status, and on deletion stops the guest, waits until its BPF objects are closed and
 * only then releases the finalizer.
 *
 * <p>Other threads only hand it the newest assignment object or a stop request and wake it; all decisions are made on
 * its thread, one at a time.
 */
final class ProgramSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramSupervisor.class);
    private static final Logger GUEST_LOG = LoggerFactory.getLogger("io.bpfwasm.agent.guest");
    /** The apiserver refuses lastError.message beyond 4096 characters and verifierLog beyond 16384. */
    private static final int MAX_MESSAGE = 4000;
    private static final int MAX_VERIFIER_LOG = 16000;
    private static final int VERIFIER_LOG_LINES = 60;
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /** What a supervisor needs from the agent. */
    record Context(ModuleResolver resolver, StatusWriter status, AgentFinalizer finalizer, MeterRegistry meters,
                   AgentSettings settings) {}

    /** One guest instance of one generation of the assignment. */
    private record Run(ProgramHost host, String digest, long generation, Instant startedAt,
                       LineOutputStream stdout, LineOutputStream stderr) {}

    private final Context context;
    private final String namespace;
    private final String program;
    private final String key;
    private final ProgramMetrics metrics;
    private final LinkedBlockingQueue<Boolean> wake = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile BpfWasmNodeProgram desired;
    private volatile boolean gone;
    private volatile boolean shutdown;

    // State below is touched only by the supervisor's thread.
    private Run current;
    private boolean finalizerHeld;
    private Long activeGeneration;
    private int restarts;
    private int failures;
    private Instant nextAttempt = Instant.EPOCH;
    private Instant failedAt;
    /** The last failure was a guest that ended (not a fetch): its restarts stay Failed until they run stably. */
    private boolean guestFailed;
    private LastError lastError;

    ProgramSupervisor(Context context, BpfWasmNodeProgram assignment) {
        this.context = context;
        this.desired = assignment;
        this.namespace = assignment.getMetadata().getNamespace();
        this.program = assignment.getSpec().getProgramName();
        this.key = namespace + "/" + program;
        this.metrics = new ProgramMetrics(context.meters(), namespace, program);
        // Adopting an assignment (e.g. after an agent restart): keep counting restarts of the same generation.
        var status = assignment.getStatus();
        if (status != null && Objects.equals(status.getObservedGeneration(), assignment.getMetadata().getGeneration())) {
            restarts = status.getRestarts();
        }
    }

    void start() {
        Thread.ofVirtual().name("bpfwasm-supervisor-" + key).start(this::loop);
    }

    /** Hands over the newest version of the assignment (spec change, deletion timestamp, ...). */
    void update(BpfWasmNodeProgram assignment) {
        desired = assignment;
        wake.offer(Boolean.TRUE);
    }

    /** The assignment no longer exists: stop whatever runs. */
    void gone() {
        gone = true;
        wake.offer(Boolean.TRUE);
    }

    /** Agent shutdown: stop the guest and close its BPF objects, keep the finalizer (the next agent re-adopts). */
    CompletableFuture<Void> shutdown() {
        shutdown = true;
        wake.offer(Boolean.TRUE);
        return done;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    /** Kernel ids the current guest holds (for tests and diagnostics). */
    List<KernelIds> kernelIds() {
        Run run = current;
        return run == null ? List.of() : run.host().kernelIds();
    }

    private void loop() {
        try {
            while (true) {
                BpfWasmNodeProgram assignment = desired;
                if (shutdown || gone) {
                    if (stopRun("agent shutting down") && !gone) {
                        report(assignment, NodeProgramPhase.PENDING); // truthful until the next agent takes over
                    }
                    return;
                }
                if (assignment.getMetadata().getDeletionTimestamp() != null) {
                    cleanUp(assignment);
                    return;
                }
                if (!finalizerHeld && !holdFinalizer(assignment)) {
                    waitForWake(Duration.ofSeconds(5));
                    continue;
                }
                step(assignment);
                report(assignment);
                waitForWake(nextWakeUp());
            }
        } catch (InterruptedException e) {
            stopRun("interrupted");
        } catch (RuntimeException e) {
            LOG.error("{}: supervisor failed; stopping the guest", key, e);
            stopRun("supervisor failure");
        } finally {
            metrics.close();
            done.complete(null);
        }
    }

    private boolean holdFinalizer(BpfWasmNodeProgram assignment) {
        try {
            finalizerHeld = AgentFinalizer.held(assignment) || context.finalizer().add(assignment);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot add the agent finalizer ({}); retrying before loading anything", key, e.getMessage());
        }
        return finalizerHeld;
    }

    private void step(BpfWasmNodeProgram assignment) throws InterruptedException {
        long generation = assignment.getMetadata().getGeneration();
        if (activeGeneration != null && activeGeneration != generation) {
            stopRun("spec changed to generation " + generation);
            restarts = 0;
            failures = 0;
            failedAt = null;
            guestFailed = false;
            lastError = null;
            nextAttempt = Instant.EPOCH;
        }
        activeGeneration = generation;
        RunSpec spec = assignment.getSpec();
        if (spec.isPaused()) {
            stopRun("paused");
            return;
        }
        if (current != null && !current.host().isRunning()) {
            onEnded(current);
            current = null;
        }
        Instant now = Instant.now();
        if (current == null && !now.isBefore(nextAttempt)) {
            tryStart(assignment);
        }
        if (current != null && failedAt != null
                && Duration.between(current.startedAt(), Instant.now()).compareTo(context.settings().stableAfter()) >= 0) {
            LOG.info("{}: guest has run for {} since its last restart; recovered", key, context.settings().stableAfter());
            failedAt = null;
            failures = 0;
            guestFailed = false;
        }
    }

    private void tryStart(BpfWasmNodeProgram assignment) throws InterruptedException {
        RunSpec spec = assignment.getSpec();
        if (lastError == null) {
            report(assignment, NodeProgramPhase.LOADING);
        }
        AttachPolicy policy;
        try {
            policy = CapabilityPolicy.from(spec.getCapabilities());
        } catch (IllegalArgumentException e) {
            fail("capabilities: " + e.getMessage(), null);
            guestFailed = false;
            return;
        }
        Duration cpuGuard = null;
        if (spec.getLimits() != null && spec.getLimits().getCpuGuard() != null) {
            try {
                cpuGuard = Units.parseDuration(spec.getLimits().getCpuGuard());
            } catch (IllegalArgumentException e) { // the CRD's pattern should have refused it
                fail("limits.cpuGuard: " + e.getMessage(), null);
                guestFailed = false;
                return;
            }
        }
        ModuleResolver.Module module;
        try {
            if (spec.getEngine() == Engine.WASMTIME) {
                throw new SourceException("engine wasmtime is not available in this agent; use engine chicory");
            }
            module = context.resolver().resolve(spec.getModule(), namespace);
        } catch (SourceException e) {
            fail(e.getMessage(), null);
            guestFailed = false;
            return;
        } catch (RuntimeException e) {
            LOG.error("{}: resolving the module failed unexpectedly", key, e);
            fail("resolving the module failed: " + e, null);
            guestFailed = false;
            return;
        }
        var stdout = new LineOutputStream(line -> guestLine("stdout", line));
        var stderr = new LineOutputStream(line -> guestLine("stderr", line));
        var builder = ProgramSpec.builder(program)
                .wasm(module.bytes())
                .argv0(program + ".wasm")
                .args(spec.getArgs() == null ? List.of() : spec.getArgs())
                .stdout(stdout)
                .stderr(stderr)
                .bpfLog(line -> LOG.debug("{}: libbpf: {}", key, line.stripTrailing()))
                .attachPolicy(policy)
                .bpf(metrics.newRun(new KernelBpf()));
        if (spec.getEnv() != null) {
            for (EnvVar env : spec.getEnv()) {
                builder.env(env.getName(), env.getValue() == null ? "" : env.getValue());
            }
        }
        if (spec.getLimits() != null && spec.getLimits().getMemory() != null) {
            builder.memoryLimitBytes(spec.getLimits().getMemory().getNumericalAmount().longValue());
        }
        builder.cpuGuard(cpuGuard);
        ProgramHost host = ProgramHost.start(builder.build());
        host.result().thenRun(() -> wake.offer(Boolean.TRUE));
        current = new Run(host, module.digest(), assignment.getMetadata().getGeneration(), Instant.now(),
                stdout, stderr);
        metrics.running(true);
        if (!guestFailed) {
            failedAt = null; // a fetch failure is over once the module runs
            failures = 0;
        }
        LOG.info("{}: started generation {} with module {} (from {}{})", key, current.generation(),
                Digests.shortForm(module.digest()), module.origin() == ModuleResolver.Origin.CACHE ? "the cache" : "its source",
                restarts > 0 ? ", restart " + restarts : "");
    }

    private void onEnded(Run run) {
        ProgramResult result = run.host().result().join();
        closeOutput(run);
        metrics.endRun();
        restarts++;
        metrics.restarted();
        StringBuilder message = new StringBuilder("guest ").append(result.describe());
        String verifierLog = null;
        BpfFailure bpf = result.lastBpfFailure();
        if (bpf != null) {
            message.append("; last eBPF failure: ").append(bpf.operation()).append(": ").append(bpf.message());
            verifierLog = excerpt(bpf.verifierLog());
        }
        fail(message.toString(), verifierLog);
        guestFailed = true;
    }

    private void fail(String message, String verifierLog) {
        failures++;
        Duration wait = context.settings().backoff().after(failures);
        nextAttempt = Instant.now().plus(wait);
        failedAt = Instant.now();
        String full = message + " (failure " + failures + " in a row; retrying in " + wait.toMillis() + " ms)";
        lastError = new LastError(truncate(full, MAX_MESSAGE), verifierLog, now());
        LOG.warn("{}: {}", key, full);
    }

    private void cleanUp(BpfWasmNodeProgram assignment) {
        report(assignment, NodeProgramPhase.STOPPING);
        boolean stopped = stopRun("assignment deleted");
        if (!stopped) {
            LOG.error("{}: the guest did not stop within {}; keeping the finalizer", key, STOP_WAIT);
            return;
        }
        if (finalizerHeld || AgentFinalizer.held(assignment)) {
            try {
                context.finalizer().remove(assignment);
            } catch (RuntimeException e) {
                LOG.error("{}: cannot release the agent finalizer: {}", key, e.getMessage());
                return;
            }
        }
        context.status().forget(assignment);
        LOG.info("{}: stopped, BPF objects closed, finalizer released", key);
    }

    /** Stops the current guest and waits until its BPF objects are closed; false if it did not end in time. */
    private boolean stopRun(String why) {
        Run run = current;
        if (run == null) {
            return true;
        }
        LOG.info("{}: stopping the guest ({})", key, why);
        run.host().stop();
        try {
            if (run.host().await(STOP_WAIT).isEmpty()) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        closeOutput(run);
        metrics.endRun();
        current = null;
        return true;
    }

    private void report(BpfWasmNodeProgram assignment) {
        NodeProgramPhase phase;
        if (assignment.getSpec().isPaused()) {
            phase = NodeProgramPhase.PAUSED;
        } else if (failedAt != null) {
            phase = NodeProgramPhase.FAILED;
        } else if (current != null) {
            phase = NodeProgramPhase.RUNNING;
        } else {
            phase = NodeProgramPhase.LOADING;
        }
        report(assignment, phase);
    }

    private void report(BpfWasmNodeProgram assignment, NodeProgramPhase phase) {
        var status = new BpfWasmNodeProgramStatus();
        status.setObservedGeneration(assignment.getMetadata().getGeneration());
        status.setPhase(phase);
        status.setRestarts(restarts);
        status.setLastError(lastError);
        status.setUpdatedAt(now());
        Run run = current;
        if (run != null) {
            status.setDigest(run.digest());
            status.setStartedAt(run.startedAt().truncatedTo(ChronoUnit.SECONDS).toString());
            List<Long> programs = new ArrayList<>();
            List<Long> maps = new ArrayList<>();
            List<Long> links = new ArrayList<>();
            for (KernelIds ids : run.host().kernelIds()) {
                ids.programIds().forEach(id -> programs.add((long) id));
                ids.mapIds().forEach(id -> maps.add((long) id));
                ids.linkIds().forEach(id -> links.add((long) id));
            }
            status.setProgramIds(programs);
            status.setMapIds(maps);
            status.setLinkIds(links);
            CountingBpf counting = metrics.currentRun();
            if (counting != null) {
                status.setEventsDelivered(counting.delivered());
                status.setEventsDropped(counting.dropped());
            }
        }
        context.status().submit(assignment, status);
    }

    private Duration nextWakeUp() {
        Duration wait = context.settings().refreshInterval();
        Instant now = Instant.now();
        if (current == null && nextAttempt.isAfter(now)) {
            wait = min(wait, Duration.between(now, nextAttempt));
        }
        if (current != null && failedAt != null) {
            Duration stable = Duration.between(now, current.startedAt().plus(context.settings().stableAfter()));
            wait = min(wait, stable.isNegative() ? Duration.ZERO : stable);
        }
        if (current != null && current.host().kernelIds().isEmpty()
                && Duration.between(current.startedAt(), now).toSeconds() < 10) {
            // a fresh guest is still loading its objects: report their ids soon
            wait = min(wait, Duration.ofMillis(200));
        }
        return wait;
    }

    private void waitForWake(Duration timeout) throws InterruptedException {
        wake.poll(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        wake.clear();
    }

    private void guestLine(String stream, String line) {
        GUEST_LOG.atInfo()
                .addKeyValue("program", key)
                .addKeyValue("stream", stream)
                .log("{} {}: {}", key, stream, line);
    }

    private static void closeOutput(Run run) {
        run.stdout().close();
        run.stderr().close();
    }

    private static String excerpt(List<String> verifierLog) {
        if (verifierLog.isEmpty()) {
            return null;
        }
        List<String> tail = verifierLog.subList(Math.max(0, verifierLog.size() - VERIFIER_LOG_LINES), verifierLog.size());
        String text = String.join("\n", tail.stream().map(String::stripTrailing).toList());
        return text.length() <= MAX_VERIFIER_LOG ? text : text.substring(text.length() - MAX_VERIFIER_LOG);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
