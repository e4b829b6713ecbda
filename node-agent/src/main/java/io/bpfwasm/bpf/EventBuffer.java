package io.bpfwasm.bpf;

/** A ring buffer or perf event array consumer, created by {@link BpfObject#openBuffer(BpfMap)}. */
public interface EventBuffer extends AutoCloseable {
    /**
     * Waits up to timeoutMs for samples and hands every available one to handler, on the calling thread.
     *
     * @return the number of samples consumed, a negative Linux errno (-EINTR when the thread was interrupted), or
     *     the handler's negative return value that stopped the poll
     */
    int poll(int timeoutMs, SampleHandler handler);

    /** Samples the kernel could not deliver (perf buffers report them; ring buffers drop in the producer). */
    long lostSamples();

    BpfMap map();

    @Override
    void close();
}
