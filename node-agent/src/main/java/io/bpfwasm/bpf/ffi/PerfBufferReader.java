package io.bpfwasm.bpf.ffi;

import io.bpfwasm.bpf.SampleHandler;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;

/**
 * A BPF_MAP_TYPE_PERF_EVENT_ARRAY consumer on libbpf's perf_buffer (one mmapped buffer per CPU), delivering
 * samples through upcalls. libbpf's sample callback cannot stop a batch: after the handler returns a negative
 * value (or throws), the rest of that batch is copied aside and delivered first by the next poll, so no sample is
 * lost and the order per CPU is kept.
 */
public final class PerfBufferReader extends SlicedPollBuffer {
    private static final int EIO = 5;
    /** Every byte of the address space; samples are positioned on it by address and bounds-checked by size. */
    private static final MemorySegment ALL_MEMORY = Native.view(MemorySegment.NULL, Long.MAX_VALUE);

    private final Arena arena;
    private final SegmentSample sample = new SegmentSample();
    private final ArrayDeque<byte[]> setAside = new ArrayDeque<>();
    private MemorySegment perfBuffer = MemorySegment.NULL;
    private volatile long lost;

    // State of the poll in progress, read by the upcalls (same thread).
    private SampleHandler handler;
    private int delivered;
    private int stopResult;
    private Throwable handlerFailure;

    private PerfBufferReader(Arena arena) {
        this.arena = arena;
    }

    /** perf_buffer__new on mapFd with pagesPerCpu (a power of two) pages per CPU. */
    public static PerfBufferReader open(int mapFd, int pagesPerCpu) throws ErrnoException {
        Arena arena = Arena.ofShared();
        PerfBufferReader reader = new PerfBufferReader(arena);
        try {
            MemorySegment sampleStub = Native.upcall(MethodHandles.lookup(), "onSample",
                    MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class, int.class),
                    FunctionDescriptor.ofVoid(Native.C_POINTER, Native.C_INT, Native.C_POINTER, Native.C_INT),
                    reader, arena);
            MemorySegment lostStub = Native.upcall(MethodHandles.lookup(), "onLost",
                    MethodType.methodType(void.class, MemorySegment.class, int.class, long.class),
                    FunctionDescriptor.ofVoid(Native.C_POINTER, Native.C_INT, Native.C_LONG),
                    reader, arena);
            MemorySegment capture = Native.allocateCapture(arena);
            MemorySegment perfBuffer = (MemorySegment) Libbpf.PERF_BUFFER_NEW.invokeExact(capture, mapFd,
                    (long) pagesPerCpu, sampleStub, lostStub, MemorySegment.NULL, MemorySegment.NULL);
            if (perfBuffer.equals(MemorySegment.NULL)) {
                throw new ErrnoException(Native.errno(capture));
            }
            reader.perfBuffer = perfBuffer;
            return reader;
        } catch (ErrnoException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw Native.unexpected(t);
        }
    }

    @Override
    int drain(SampleHandler handler) {
        int count = 0;
        while (!setAside.isEmpty()) {
            byte[] bytes = setAside.poll();
            sample.reset(MemorySegment.ofArray(bytes), 0, bytes.length);
            int result = handler.onSample(sample);
            count++;
            if (result < 0) {
                return result;
            }
        }
        int result = deliver(handler, -1);
        return result < 0 ? result : count + result;
    }

    @Override
    int waitAndDrain(int sliceMs, SampleHandler handler) {
        return deliver(handler, sliceMs);
    }

    /** perf_buffer__consume (timeoutMs < 0) or perf_buffer__poll, with handler receiving the samples. */
    private int deliver(SampleHandler handler, int timeoutMs) {
        this.handler = handler;
        delivered = 0;
        stopResult = 0;
        handlerFailure = null;
        int result;
        try {
            result = timeoutMs < 0
                    ? (int) Libbpf.PERF_BUFFER_CONSUME.invokeExact(perfBuffer)
                    : (int) Libbpf.PERF_BUFFER_POLL.invokeExact(perfBuffer, timeoutMs);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        } finally {
            this.handler = null;
        }
        if (handlerFailure != null) {
            throw handlerFailure instanceof RuntimeException r ? r : new IllegalStateException(handlerFailure);
        }
        if (stopResult < 0) {
            return stopResult;
        }
        if (result < 0 && result != -EINTR) {
            return result;
        }
        return delivered;
    }

    /** perf_buffer_sample_fn: void (*)(void *ctx, int cpu, void *data, __u32 size). */
    private void onSample(MemorySegment context, int cpu, MemorySegment data, int size) {
        try {
            if (stopResult < 0 || handler == null) {
                byte[] copy = new byte[size];
                MemorySegment.copy(ALL_MEMORY, ValueLayout.JAVA_BYTE, data.address(), copy, 0, size);
                setAside.add(copy);
                return;
            }
            sample.reset(ALL_MEMORY, data.address(), size);
            int result = handler.onSample(sample);
            delivered++;
            if (result < 0) {
                stopResult = result;
            }
        } catch (Throwable t) {
            // Rethrown by deliver() once back in Java; an exception escaping an upcall would kill the JVM.
            handlerFailure = t;
            stopResult = -EIO;
        }
    }

    /** perf_buffer_lost_fn: void (*)(void *ctx, int cpu, __u64 cnt). */
    private void onLost(MemorySegment context, int cpu, long count) {
        try {
            lost += count;
        } catch (Throwable t) {
            // nothing can fail here; the catch keeps the upcall rule visible
        }
    }

    @Override
    public long lostSamples() {
        return lost;
    }

    @Override
    void free() {
        try {
            Libbpf.PERF_BUFFER_FREE.invokeExact(perfBuffer); // before the arena that owns the upcall stubs
        } catch (Throwable t) {
            throw Native.unexpected(t);
        } finally {
            arena.close();
        }
    }
}
