package io.bpfwasm.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus meters of one assignment, tagged namespace and program. Counters are totals over every run of the
 * assignment on this agent (a restart does not reset them); they are removed when the assignment goes away.
 */
final class ProgramMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter restarts;
    private final Timer callbacks;
    private volatile CountingBpf current;
    private volatile boolean running;
    private long priorDelivered;
    private long priorDropped;
    private double priorCpuSeconds;

    ProgramMetrics(MeterRegistry registry, String namespace, String program) {
        this.registry = registry;
        Tags tags = Tags.of("namespace", namespace, "program", program);
        meters.add(FunctionCounter.builder("bpfwasm.program.events.delivered", this, ProgramMetrics::delivered)
                .description("Ring/perf buffer samples handed to the guest").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("bpfwasm.program.events.dropped", this, ProgramMetrics::dropped)
                .description("Samples the kernel lost (perf buffer lost events)").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("bpfwasm.program.guest.cpu", this, ProgramMetrics::cpuSeconds)
                .description("CPU seconds used by the guest's thread").baseUnit("seconds").tags(tags)
                .register(registry));
        meters.add(Gauge.builder("bpfwasm.program.running", this, m -> m.running ? 1 : 0)
                .description("1 while the guest runs").tags(tags).register(registry));
        restarts = Counter.builder("bpfwasm.program.restarts").description("Guest restarts after it ended")
                .tags(tags).register(registry);
        meters.add(restarts);
        callbacks = Timer.builder("bpfwasm.program.callback")
                .description("Time the guest's sample callback took (every 64th sample)").tags(tags)
                .register(registry);
        meters.add(callbacks);
    }

    /** Counts the run that starts with this backend. */
    synchronized CountingBpf newRun(io.bpfwasm.runtime.wasibpf.BpfBackend kernel) {
        endRun();
        current = new CountingBpf(kernel, nanos -> callbacks.record(nanos, TimeUnit.NANOSECONDS));
        return current;
    }

    /** The counters of the run in progress, or null. */
    CountingBpf currentRun() {
        return current;
    }

    void running(boolean running) {
        this.running = running;
    }

    synchronized void endRun() {
        CountingBpf run = current;
        if (run != null) {
            priorDelivered += run.delivered();
            priorDropped += run.dropped();
            priorCpuSeconds += run.guestCpuSeconds();
            current = null;
        }
        running = false;
    }

    void restarted() {
        restarts.increment();
    }

    private synchronized double delivered() {
        return priorDelivered + (current == null ? 0 : current.delivered());
    }

    private synchronized double dropped() {
        return priorDropped + (current == null ? 0 : current.dropped());
    }

    private synchronized double cpuSeconds() {
        return priorCpuSeconds + (current == null ? 0 : current.guestCpuSeconds());
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
