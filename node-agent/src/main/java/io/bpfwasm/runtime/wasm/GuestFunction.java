package io.bpfwasm.runtime.wasm;

/** A guest function the host may call re-entrantly from inside a host function. */
public interface GuestFunction {
    /**
     * Calls the function on the current (guest) thread. The args array may be reused between calls.
     *
     * @return the first result, 0 when there is none
     */
    long call(long[] args);
}
