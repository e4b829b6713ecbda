package io.bpfwasm.bpf.ffi;

import io.bpfwasm.bpf.SampleHandler;

/** The native side of an event buffer: a ring buffer or perf buffer consumer bound to one map fd. */
public interface NativeBuffer extends AutoCloseable {
    /** See {@link io.bpfwasm.bpf.EventBuffer#poll}. */
    int poll(int timeoutMs, SampleHandler handler);

    long lostSamples();

    /** Frees the native resources; when called from inside this buffer's own poll, once that poll returns. */
    @Override
    void close();
}
