package io.bpfwasm.runtime.wasm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a guest's crossings between its own code and the host's: into {@code _start} and callbacks, out through
 * imports and returns. An odd count means guest code is running. The guest's thread writes it (a plain store on the
 * hot path, no clock read); a watchdog on another thread reads it to see how long the guest has not crossed.
 */
public final class GuestActivity {
    private final AtomicLong crossings = new AtomicLong();

    /** The guest's code starts or resumes running (an import returned, {@code _start} or a callback began). */
    public void enterGuest() {
        crossings.lazySet((crossings.get() + 1) | 1); // single writer: next odd number
    }

    /** The host's code runs (an import was called, {@code _start} or a callback ended). */
    public void enterHost() {
        crossings.lazySet((crossings.get() + 2) & ~1L); // next even number
    }

    /** The number of crossings so far; odd while guest code runs. */
    public long crossings() {
        return crossings.get();
    }

    public static boolean inGuest(long crossings) {
        return (crossings & 1) == 1;
    }
}
