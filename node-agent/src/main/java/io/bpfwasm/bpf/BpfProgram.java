package io.bpfwasm.bpf;

import io.bpfwasm.bpf.ffi.Diagnostics;
import io.bpfwasm.bpf.ffi.ErrnoException;
import io.bpfwasm.bpf.ffi.KernelIds;
import io.bpfwasm.bpf.ffi.LibbpfProgram;

/** A loaded program of a {@link BpfObject}. */
public final class BpfProgram {
    private final BpfObject object;
    private final LibbpfProgram handle;
    private final String name;
    private final String sectionName;
    private final int kernelType;
    private final int id;

    BpfProgram(BpfObject object, LibbpfProgram handle) {
        this.object = object;
        this.handle = handle;
        this.name = handle.name();
        this.sectionName = handle.sectionName();
        this.kernelType = handle.type();
        this.id = idOf(handle.fd());
    }

    private static int idOf(int fd) {
        try {
            return fd < 0 ? -1 : KernelIds.idOf(fd);
        } catch (ErrnoException e) {
            return -1;
        }
    }

    public String name() {
        return name;
    }

    /** The ELF section, e.g. "tracepoint/sched/sched_process_exec". */
    public String sectionName() {
        return sectionName;
    }

    public ProgramType type() {
        return ProgramType.fromKernel(kernelType);
    }

    /** libbpf's name of the program type, e.g. "tracepoint", "tracing", "xdp". */
    public String typeName() {
        return Diagnostics.programTypeName(kernelType);
    }

    /** Kernel program id (as bpftool shows it). */
    public int id() {
        return id;
    }

    public BpfObject object() {
        return object;
    }

    LibbpfProgram handle() {
        return handle;
    }

    /**
     * Attaches the program; target null or empty attaches by its section name. The link belongs to the object and
     * is detached by {@link BpfObject#close()} (or earlier by {@link BpfLink#close()}).
     *
     * @throws BpfException naming the program and the kernel's reason (e.g. an unsupported type on this kernel)
     */
    public BpfLink attach(String target) throws BpfException {
        return object.attach(this, target, TcPath.TCX_OR_FILTER);
    }

    /** {@link #attach(String)} with the tc path chosen (tests of the clsact filter path older kernels take). */
    BpfLink attach(String target, TcPath tcPath) throws BpfException {
        return object.attach(this, target, tcPath);
    }

    /**
     * Where {@link #attach(String)} with this target would attach, for capability checks before attaching.
     *
     * @throws BpfException EINVAL when the target is malformed for this program's type
     */
    public AttachPoint attachPoint(String target) throws BpfException {
        return Attachment.pointOf(this, target);
    }

    @Override
    public String toString() {
        return "program " + name + " (" + sectionName + ")";
    }
}
