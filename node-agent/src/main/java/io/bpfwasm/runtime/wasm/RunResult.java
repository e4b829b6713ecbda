package io.bpfwasm.runtime.wasm;

/** How a guest's {@code _start} ended. */
public sealed interface RunResult {

    /** {@code _start} returned (code 0) or the guest called {@code proc_exit(code)}. */
    record Exited(int code) implements RunResult {}

    /** The guest trapped (unreachable, out-of-bounds access, stack exhausted, ...). */
    record Trapped(String message) implements RunResult {}

    /** The guest's thread was interrupted. */
    record Interrupted() implements RunResult {}
}
