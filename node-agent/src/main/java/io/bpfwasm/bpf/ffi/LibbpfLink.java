package io.bpfwasm.bpf.ffi;

import java.lang.foreign.MemorySegment;
import java.util.function.IntSupplier;

/**
 * One attachment: a {@code struct bpf_link}, or an attachment without a kernel link (tc filters) that knows how to
 * undo itself. Not thread-safe; the owner serialises calls.
 */
public final class LibbpfLink {
    private final MemorySegment link;
    private final IntSupplier detach;
    private boolean destroyed;

    LibbpfLink(MemorySegment link) {
        this.link = link;
        this.detach = null;
    }

    /** An attachment without a bpf_link; detach returns 0 or a negative errno. */
    LibbpfLink(IntSupplier detach) {
        this.link = MemorySegment.NULL;
        this.detach = detach;
    }

    /** The link's fd, or -1 for an attachment without a kernel link. */
    public int fd() {
        if (detach != null) {
            return -1;
        }
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
        if (detach != null) {
            return detach.getAsInt();
        }
        try {
            return (int) Libbpf.LINK_DESTROY.invokeExact(link);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
