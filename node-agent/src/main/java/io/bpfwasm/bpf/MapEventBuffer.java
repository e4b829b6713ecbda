package io.bpfwasm.bpf;

import io.bpfwasm.bpf.ffi.NativeBuffer;
import java.util.Objects;

/** The {@link EventBuffer} of one map: a ring or perf buffer reader. */
final class MapEventBuffer implements EventBuffer {
    private final BpfMap map;
    private final NativeBuffer reader;
    private volatile boolean closed;

    MapEventBuffer(BpfMap map, NativeBuffer reader) {
        this.map = map;
        this.reader = reader;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A negative timeout waits without limit (until samples arrive, the thread is interrupted or the buffer is
     * closed). An interrupted thread gets -EINTR within 25 ms, its interrupt flag still set. After close: -EBADF.
     */
    @Override
    public int poll(int timeoutMs, SampleHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return reader.poll(timeoutMs, handler);
    }

    @Override
    public long lostSamples() {
        return reader.lostSamples();
    }

    @Override
    public BpfMap map() {
        return map;
    }

    @Override
    public void close() {
        closed = true;
        reader.close();
    }

    boolean isClosed() {
        return closed;
    }
}
