package io.bpfwasm.bpf;

/** An attachment of a program to its hook. Closing detaches it. */
public final class BpfLink implements AutoCloseable {

    /** Kernel link id (as bpftool shows it). */
    public int id() {
        throw new UnsupportedOperationException("TODO");
    }

    public BpfProgram program() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Detaches. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }
}
