package io.bpfwasm.bpf;

import io.bpfwasm.bpf.ffi.ErrnoException;
import io.bpfwasm.bpf.ffi.KernelIds;
import io.bpfwasm.bpf.ffi.LibbpfLink;

/** An attachment of a program to its hook. Closing detaches it. */
public final class BpfLink implements AutoCloseable {
    private final BpfProgram program;
    private final LibbpfLink handle;
    private final int id;

    BpfLink(BpfProgram program, LibbpfLink handle) {
        this.program = program;
        this.handle = handle;
        this.id = idOf(handle.fd());
    }

    /** Attachments without a kernel link object (tc filters on kernels without TCX): -1. */
    private static int idOf(int fd) {
        try {
            return fd < 0 ? -1 : KernelIds.idOf(fd);
        } catch (ErrnoException e) {
            return -1;
        }
    }

    /** Kernel link id (as bpftool shows it), or -1 for an attachment without a kernel link. */
    public int id() {
        return id;
    }

    public BpfProgram program() {
        return program;
    }

    LibbpfLink handle() {
        return handle;
    }

    /** Detaches. Idempotent. */
    @Override
    public void close() {
        program.object().detach(this);
    }
}
