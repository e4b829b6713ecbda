package io.bpfwasm.bpf;

import java.util.List;
import java.util.function.Consumer;

/**
 * A BPF ELF object opened and loaded into the kernel (libbpf {@code bpf_object}). Owns its programs, maps, the
 * links made by {@link BpfProgram#attach(String)} and the buffers made by {@link #openBuffer(BpfMap)};
 * {@link #close()} detaches and frees all of them.
 */
public final class BpfObject implements AutoCloseable {

    /**
     * Opens the ELF bytes and loads every program and map. libbpf's log lines produced while opening, loading and
     * later attaching go to {@code log} (and to the "io.bpfwasm.libbpf" logger at debug).
     *
     * @param name the object's name for messages and the kernel (e.g. the module's name)
     * @throws VerifierException when the verifier rejects a program (carrying its log)
     * @throws BpfException for any other failure: malformed ELF, unsupported program type, missing privileges
     */
    public static BpfObject load(byte[] elf, String name, Consumer<String> log) throws BpfException {
        throw new UnsupportedOperationException("TODO");
    }

    public String name() {
        throw new UnsupportedOperationException("TODO");
    }

    public List<BpfProgram> programs() {
        throw new UnsupportedOperationException("TODO");
    }

    /** @throws BpfException with ENOENT when the object has no such program */
    public BpfProgram program(String name) throws BpfException {
        throw new UnsupportedOperationException("TODO");
    }

    public List<BpfMap> maps() {
        throw new UnsupportedOperationException("TODO");
    }

    /** @throws BpfException with ENOENT when the object has no such map */
    public BpfMap map(String name) throws BpfException {
        throw new UnsupportedOperationException("TODO");
    }

    /** Links currently attached, in attach order. */
    public List<BpfLink> links() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * A consumer for a {@link MapType#RINGBUF} or {@link MapType#PERF_EVENT_ARRAY} map of this object; the same
     * instance for repeated calls with the same map. Closed with the object.
     *
     * @throws BpfException with EINVAL for any other map type
     */
    public EventBuffer openBuffer(BpfMap map) throws BpfException {
        throw new UnsupportedOperationException("TODO");
    }

    /** Closes buffers, detaches links, unloads programs and maps. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }
}
