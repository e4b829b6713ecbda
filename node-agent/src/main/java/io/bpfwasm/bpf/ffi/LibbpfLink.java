package io.bpfwasm.bpf.ffi;

import java.lang.foreign.MemorySegment;
import java.util.function.IntSupplier;

/**
 * One attachment: a libbpf {@code struct bpf_link}, a kernel link fd made without libbpf's wrapper (XDP and TCX
 * links; closing the fd detaches), or an attachment without a kernel link (tc filters on a clsact qdisc) that knows
 * how to undo itself. Not thread-safe; the owner serialises calls.
 */
public final class LibbpfLink {
    private final MemorySegment link;
    private final int fd;
    private final IntSupplier detach;
    private boolean destroyed;

    LibbpfLink(MemorySegment link) {
        this.link = link;
        this.fd = -1;
        this.detach = null;
    }

    private LibbpfLink(int fd, IntSupplier detach) {
        this.link = MemorySegment.NULL;
        this.fd = fd;
        this.detach = detach;
    }

    /** A kernel link fd this attachment owns: closing it detaches the program. */
    static LibbpfLink ofLinkFd(int fd) {
        return new LibbpfLink(fd, () -> NetAndFiles.closeReporting(fd));
    }

    /** An attachment without a kernel link; detach returns 0 or a negative errno. */
    static LibbpfLink withoutKernelLink(IntSupplier detach) {
        return new LibbpfLink(-1, detach);
    }

    /** The link's fd, or -1 for an attachment without a kernel link. */
    public int fd() {
        if (detach != null) {
            return fd;
        }
        try {
            return (int) Libbpf.LINK_FD.invokeExact(link);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Detaches and frees (bpf_link__destroy, close or the undo). Idempotent; returns 0 or a negative errno. */
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
