package io.bpfwasm.bpf;

/**
 * A failure reported by libbpf or the kernel. The message names the object it concerns ("map events: ...");
 * {@link #errno()} is the positive Linux errno (or libbpf's own code >= 4000), for callers that translate it.
 */
public class BpfException extends Exception {
    private final int errno;

    public BpfException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public BpfException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
