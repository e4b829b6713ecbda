package io.bpfwasm.bpf.ffi;

/** A native call failed with errno (positive; libbpf's own codes are >= 4000). The caller adds the context. */
public final class ErrnoException extends Exception {
    private final int errno;

    public ErrnoException(int errno) {
        super(Diagnostics.strerror(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
