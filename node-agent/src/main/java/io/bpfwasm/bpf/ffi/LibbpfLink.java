package io.bpfwasm.bpf.ffi;

import java.lang.foreign.MemorySegment;

/** A {@code struct bpf_link}: one attachment. Not thread-safe; the owner serialises calls. */
public final class LibbpfLink {
    private final MemorySegment link;
    private boolean destroyed;

    LibbpfLink(MemorySegment link) {
        this.link = link;
    }

    public int fd() {
        try {
            return (int) Libbpf.LINK_FD.invokeExact(link);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** bpf_link__destroy: detaches and frees. Idempotent; returns 0 or a negative errno from the detach. */
    public int destroy() {
        if (destroyed) {
            return 0;
        }
        destroyed = true;
        try {
            return (int) Libbpf.LINK_DESTROY.invokeExact(link);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
