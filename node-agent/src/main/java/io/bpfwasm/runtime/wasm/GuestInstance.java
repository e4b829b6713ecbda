package io.bpfwasm.runtime.wasm;

/** One instantiated module. Not thread-safe: create, run and close it on one thread. */
public interface GuestInstance extends AutoCloseable {

    /**
     * Runs the module's {@code _start} on the calling thread until it returns, exits, traps or the thread is
     * interrupted. Exceptions thrown by host functions other than {@link GuestInterruptedException} propagate.
     */
    RunResult run();

    /** Current linear memory size in bytes. */
    long memorySize();

    /** The most linear memory this instance may grow to, in bytes. */
    long memoryLimit();

    @Override
    void close();
}
