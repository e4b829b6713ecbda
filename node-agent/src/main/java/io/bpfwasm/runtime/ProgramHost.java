package io.bpfwasm.runtime;

import io.bpfwasm.runtime.ProgramOutcome.FailedToStart.Cause;
import io.bpfwasm.runtime.wasibpf.BpfBackend.KernelIds;
import io.bpfwasm.runtime.wasibpf.WasmBpfHost;
import io.bpfwasm.runtime.wasm.GuestActivity;
import io.bpfwasm.runtime.wasm.GuestInstance;
import io.bpfwasm.runtime.wasm.GuestModule;
import io.bpfwasm.runtime.wasm.InstanceConfig;
import io.bpfwasm.runtime.wasm.InstantiateException;
import io.bpfwasm.runtime.wasm.InvalidModuleException;
import io.bpfwasm.runtime.wasm.RunResult;
import io.bpfwasm.runtime.wasm.WasiConfig;
import io.bpfwasm.runtime.wasm.WasmPages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Wasm module with its eBPF objects, on its own platform thread. The thread compiles (when given bytes),
 * instantiates and runs the guest, and on every exit path — return, exit, trap, stop, CPU guard, host failure —
 * closes every BPF object the guest still holds before the result is published.
 *
 * <pre>{@code
 * try (var host = ProgramHost.start(ProgramSpec.builder("execsnoop").wasm(bytes).stdout(out).build())) {
 *     ProgramResult result = host.await(Duration.ofSeconds(10)).orElseGet(host::stopAndAwait);
 * }
 * }</pre>
 */
public final class ProgramHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramHost.class);
    /** Compiled guests recurse on the JVM stack; give them room (a stack overflow is reported as a trap). */
    private static final long GUEST_STACK_BYTES = 16L << 20;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final ProgramSpec spec;
    private final WasmBpfHost bpf;
    private final CompletableFuture<ProgramResult> result = new CompletableFuture<>();
    private final Thread thread;
    private final GuestActivity activity = new GuestActivity();
    private volatile boolean stopRequested;
    private volatile boolean cpuGuardExceeded;

    private ProgramHost(ProgramSpec spec) {
        this.spec = spec;
        this.bpf = new WasmBpfHost(spec.bpf(), spec.name(), spec.bpfLog(), spec.attachPolicy());
        this.thread = Thread.ofPlatform()
                .name("bpfwasm-" + spec.name())
                .daemon(true) // a guest must never keep the JVM alive
                .stackSize(GUEST_STACK_BYTES)
                .unstarted(this::runGuest);
    }

    /** Starts the program; returns at once. Failures to start are reported through the result. */
    public static ProgramHost start(ProgramSpec spec) {
        var host = new ProgramHost(spec);
        host.thread.start();
        return host;
    }

    public String name() {
        return spec.name();
    }

    public boolean isRunning() {
        return !result.isDone();
    }

    /** Completes when the program has ended and its BPF objects are closed. */
    public CompletableFuture<ProgramResult> result() {
        return result.copy();
    }

    /** Waits for the end of the program. */
    public ProgramResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // never: the result is always completed normally
        }
    }

    /** Waits at most {@code timeout}; empty when the program is still running. */
    public Optional<ProgramResult> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Asks the guest to stop: interrupts its thread. A guest computing, sleeping or blocked in a buffer poll stops
     * within a second; its result is then {@link ProgramOutcome.Stopped}. Returns at once; idempotent.
     */
    public void stop() {
        stopRequested = true;
        thread.interrupt();
    }

    /** {@link #stop()} and wait for the end (at most 5 s); null if the guest did not end in time. */
    public ProgramResult stopAndAwait() {
        stop();
        try {
            return await(CLOSE_WAIT).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Kernel ids of the programs, maps and links the guest holds now, one entry per loaded object. */
    public List<KernelIds> kernelIds() {
        return bpf.kernelIds();
    }

    /** What the program holds and has done so far; safe to call from any thread at any time. */
    public ProgramStatus status() {
        return new ProgramStatus(isRunning(), bpf.kernelIds(), bpf.samplesDelivered(), bpf.samplesLost(),
                bpf.lastFailure());
    }

    /** Stops the program and waits (at most 5 s) until its BPF objects are closed. */
    @Override
    public void close() {
        if (isRunning() && stopAndAwait() == null) {
            LOG.warn("program {} did not stop within {}; its BPF objects close when it does", spec.name(), CLOSE_WAIT);
        }
    }

    private void runGuest() {
        ProgramOutcome outcome;
        long memoryBytes = 0;
        try {
            GuestModule module = spec.module() != null ? spec.module() : spec.engine().compile(spec.wasm());
            try (GuestInstance instance = module.instantiate(instanceConfig());
                 AutoCloseable guard = watchCpu()) {
                RunResult run = stopRequested ? new RunResult.Interrupted() : instance.run();
                outcome = endedBy(run);
                memoryBytes = instance.memorySize();
            }
        } catch (InvalidModuleException e) {
            outcome = new ProgramOutcome.FailedToStart(Cause.INVALID_MODULE, e.getMessage());
        } catch (InstantiateException e) {
            outcome = new ProgramOutcome.FailedToStart(Cause.CANNOT_INSTANTIATE, e.getMessage());
        } catch (Throwable t) {
            if (cpuGuardExceeded) {
                outcome = new ProgramOutcome.CpuGuardExceeded(spec.cpuGuard());
            } else if (stopRequested) {
                outcome = new ProgramOutcome.Stopped();
            } else {
                LOG.error("program {}: host failure", spec.name(), t);
                outcome = new ProgramOutcome.HostError(t.toString());
            }
        }
        Thread.interrupted(); // closing must not be cut short by a pending stop request
        try {
            bpf.close();
        } catch (Throwable t) {
            LOG.error("program {}: closing its BPF objects failed", spec.name(), t);
        }
        flush();
        result.complete(new ProgramResult(outcome, bpf.lastFailure(), memoryBytes, capBytes()));
    }

    private InstanceConfig instanceConfig() {
        var argv = new ArrayList<String>();
        argv.add(spec.argv0());
        argv.addAll(spec.args());
        var wasi = new WasiConfig(argv, spec.env(), spec.stdout(), spec.stderr());
        return new InstanceConfig(bpf.functions(), spec.memoryLimitBytes(), wasi, activity);
    }

    /** Interrupts the guest when it runs past its CPU guard; the guest then ends as if stopped. */
    private AutoCloseable watchCpu() {
        if (spec.cpuGuard() == null) {
            return () -> {};
        }
        return CpuGuard.watch(activity, spec.cpuGuard(), () -> {
            cpuGuardExceeded = true;
            LOG.warn("program {}: ran longer than its CPU guard ({}) without returning to the host; stopping it",
                    spec.name(), Units.format(spec.cpuGuard()));
            thread.interrupt();
        });
    }

    private ProgramOutcome endedBy(RunResult run) {
        if (cpuGuardExceeded) {
            return new ProgramOutcome.CpuGuardExceeded(spec.cpuGuard());
        }
        return stopRequested ? new ProgramOutcome.Stopped() : toOutcome(run);
    }

    private long capBytes() {
        return (long) WasmPages.pagesWithin(spec.memoryLimitBytes()) * WasmPages.PAGE_SIZE;
    }

    private static ProgramOutcome toOutcome(RunResult run) {
        return switch (run) {
            case RunResult.Exited e -> new ProgramOutcome.Exited(e.code());
            case RunResult.Trapped t -> new ProgramOutcome.Trapped(t.message());
            case RunResult.Interrupted i -> new ProgramOutcome.Stopped();
        };
    }

    private void flush() {
        try {
            spec.stdout().flush();
            spec.stderr().flush();
        } catch (Exception e) {
            LOG.debug("program {}: flushing output failed", spec.name(), e);
        }
    }
}
