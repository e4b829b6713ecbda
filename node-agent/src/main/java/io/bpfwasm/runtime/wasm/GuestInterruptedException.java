package io.bpfwasm.runtime.wasm;

/** Thrown by host functions to unwind a guest whose thread was interrupted; {@link GuestInstance#run()} reports it. */
public final class GuestInterruptedException extends RuntimeException {
    public GuestInterruptedException() {
        super("guest interrupted", null, false, false);
    }
}
