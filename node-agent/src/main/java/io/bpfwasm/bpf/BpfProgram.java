package io.bpfwasm.bpf;

/** A loaded program of a {@link BpfObject}. */
public final class BpfProgram {

    public String name() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The ELF section, e.g. "tracepoint/sched/sched_process_exec". */
    public String sectionName() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Kernel program id (as bpftool shows it). */
    public int id() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Attaches the program; target null or empty attaches by its section name. The link belongs to the object and
     * is detached by {@link BpfObject#close()} (or earlier by {@link BpfLink#close()}).
     *
     * @throws BpfException naming the program and the kernel's reason (e.g. an unsupported type on this kernel)
     */
    public BpfLink attach(String target) throws BpfException {
        throw new UnsupportedOperationException("TODO");
    }
}
