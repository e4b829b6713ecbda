package io.bpfwasm.agent;

import io.bpfwasm.bpf.AttachPoint;
import io.bpfwasm.bpf.BpfException;
import io.bpfwasm.bpf.BpfMap;
import io.bpfwasm.bpf.EventBuffer;
import io.bpfwasm.bpf.MapType;
import io.bpfwasm.bpf.SampleHandler;
import io.bpfwasm.runtime.wasibpf.BpfBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Wraps the kernel backend of one guest run to count what the agent reports: samples handed to the guest, samples
 * the kernel lost, sampled callback latency and the guest thread's CPU time. The wrapping lives here because the
 * runtime's host module does not expose counters (it needs none for {@code bpfwasm run}).
 */
final class CountingBpf implements BpfBackend {
    /** Every 64th sample is timed: two clock reads per sample would cost more than the delivery itself. */
    private static final int TIMING_MASK = 63;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final BpfBackend delegate;
    private final LongAdder delivered = new LongAdder();
    private final Set<EventBuffer> buffers = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final Consumer<Long> callbackNanos;
    private volatile long guestThreadId = -1;

    CountingBpf(BpfBackend delegate, Consumer<Long> callbackNanos) {
        this.delegate = delegate;
        this.callbackNanos = callbackNanos;
    }

    long delivered() {
        return delivered.sum();
    }

    long dropped() {
        long lost = 0;
        synchronized (buffers) {
            for (EventBuffer b : buffers) {
                lost += b.lostSamples();
            }
        }
        return lost;
    }

    /** CPU seconds of the guest's thread, once it has called into wasm_bpf; 0 before, -1 when unsupported. */
    double guestCpuSeconds() {
        long id = guestThreadId;
        if (id < 0) {
            return 0;
        }
        long nanos = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(id) : -1;
        return nanos < 0 ? 0 : nanos / 1e9;
    }

    @Override
    public LoadedObject load(byte[] elf, String name, Consumer<String> log) throws BpfException {
        guestThreadId = Thread.currentThread().threadId(); // the host module calls on the guest's thread
        LoadedObject object = delegate.load(elf, name, log);
        return new LoadedObject() {
            @Override
            public void attach(String program, String target) throws BpfException {
                object.attach(program, target);
            }

            @Override
            public AttachPoint attachPoint(String program, String target) throws BpfException {
                return object.attachPoint(program, target);
            }

            @Override
            public LoadedMap map(String mapName) throws BpfException {
                return new CountingMap(object.map(mapName));
            }

            @Override
            public KernelIds ids() {
                return object.ids();
            }

            @Override
            public void close() {
                object.close();
            }
        };
    }

    private final class CountingMap implements LoadedMap {
        private final LoadedMap map;
        private CountingBuffer counting; // the host asks for the buffer on every poll; count through one wrapper

        CountingMap(LoadedMap map) {
            this.map = map;
        }

        @Override public MapType type() { return map.type(); }
        @Override public int keySize() { return map.keySize(); }
        @Override public int valueSize() { return map.valueSize(); }
        @Override public int lookup(byte[] key, byte[] value) { return map.lookup(key, value); }
        @Override public int update(byte[] key, byte[] value, long flags) { return map.update(key, value, flags); }
        @Override public int delete(byte[] key) { return map.delete(key); }
        @Override public int nextKey(byte[] key, byte[] nextKey) { return map.nextKey(key, nextKey); }

        @Override
        public EventBuffer buffer() throws BpfException {
            EventBuffer buffer = map.buffer();
            if (counting == null || counting.buffer != buffer) {
                buffers.add(buffer);
                counting = new CountingBuffer(buffer);
            }
            return counting;
        }
    }

    private final class CountingBuffer implements EventBuffer {
        private final EventBuffer buffer;
        private long seen;

        CountingBuffer(EventBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int poll(int timeoutMs, SampleHandler handler) {
            return buffer.poll(timeoutMs, sample -> {
                delivered.increment();
                if ((seen++ & TIMING_MASK) != 0) {
                    return handler.onSample(sample);
                }
                long start = System.nanoTime();
                int rc = handler.onSample(sample);
                callbackNanos.accept(System.nanoTime() - start);
                return rc;
            });
        }

        @Override public long lostSamples() { return buffer.lostSamples(); }
        @Override public BpfMap map() { return buffer.map(); }
        @Override public void close() { buffer.close(); }
    }
}
