package io.bpfwasm.bpf;

import io.bpfwasm.bpf.ffi.Diagnostics;
import io.bpfwasm.bpf.ffi.ErrnoException;
import io.bpfwasm.bpf.ffi.LibbpfLink;
import io.bpfwasm.bpf.ffi.LibbpfLog;
import io.bpfwasm.bpf.ffi.LibbpfObject;
import io.bpfwasm.bpf.ffi.NativeBuffer;
import io.bpfwasm.bpf.ffi.PerfBufferReader;
import io.bpfwasm.bpf.ffi.RingBufferReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A BPF ELF object opened and loaded into the kernel (libbpf {@code bpf_object}). Owns its programs, maps, the
 * links made by {@link BpfProgram#attach(String)} and the buffers made by {@link #openBuffer(BpfMap)};
 * {@link #close()} detaches and frees all of them.
 *
 * <p>Thread safety: load, attach, openBuffer and close are serialised on the object. Map element operations and
 * buffer polls may run on other threads; close may be called from any thread: a poll in progress on another thread
 * returns (-EBADF) within 25 ms and close waits for it, and map operations after close return -EBADF.
 */
public final class BpfObject implements AutoCloseable {
    /** Pages per CPU for perf event array buffers (a power of two). */
    private static final int PERF_PAGES_PER_CPU = 64;

    private final String name;
    private final Consumer<String> log;
    private final LibbpfObject handle;
    private final List<BpfProgram> programs;
    private final List<BpfMap> maps;
    private final List<BpfLink> links = new ArrayList<>();
    private final Map<BpfMap, MapEventBuffer> buffers = new LinkedHashMap<>();
    private volatile boolean closed;

    private BpfObject(String name, Consumer<String> log, LibbpfObject handle) {
        this.name = name;
        this.log = log;
        this.handle = handle;
        this.programs = handle.programs().stream().map(p -> new BpfProgram(this, p)).toList();
        this.maps = handle.maps().stream().map(m -> new BpfMap(this, m)).toList();
    }

    /**
     * Opens the ELF bytes and loads every program and map. libbpf's log lines produced while opening, loading and
     * later attaching go to {@code log} (and to the "io.bpfwasm.libbpf" logger at debug).
     *
     * @param name the object's name for messages and the kernel (e.g. the module's name)
     * @throws VerifierException when the verifier rejects a program (carrying its log)
     * @throws BpfException for any other failure: malformed ELF, unsupported program type, missing privileges
     */
    public static BpfObject load(byte[] elf, String name, Consumer<String> log) throws BpfException {
        Objects.requireNonNull(elf, "elf");
        Objects.requireNonNull(name, "name");
        Consumer<String> userLog = log == null ? line -> {} : log;
        List<String> lines = new ArrayList<>();
        try (var _ = LibbpfLog.collectInto(line -> {
            lines.add(line);
            userLog.accept(line);
        })) {
            LibbpfObject handle;
            try {
                handle = LibbpfObject.open(elf, name);
            } catch (ErrnoException e) {
                throw new BpfException("object " + name + ": cannot open the ELF object: " + e.getMessage(),
                        e.errno());
            }
            int result = handle.load();
            if (result < 0) {
                List<LoadFailure.ProgramInfo> infos = handle.programs().stream()
                        .map(p -> new LoadFailure.ProgramInfo(
                                p.name(), p.sectionName(), Diagnostics.programTypeName(p.type())))
                        .toList();
                handle.close();
                throw LoadFailure.describe(name, infos, -result, Diagnostics.strerror(-result), lines);
            }
            try {
                return new BpfObject(name, userLog, handle);
            } catch (RuntimeException e) {
                handle.close();
                throw e;
            }
        }
    }

    public String name() {
        return name;
    }

    public List<BpfProgram> programs() {
        return programs;
    }

    /** @throws BpfException with ENOENT when the object has no such program */
    public BpfProgram program(String name) throws BpfException {
        for (BpfProgram p : programs) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new BpfException("program " + name + ": no such program in object " + this.name, Errno.ENOENT);
    }

    public List<BpfMap> maps() {
        return maps;
    }

    /** @throws BpfException with ENOENT when the object has no such map */
    public BpfMap map(String name) throws BpfException {
        for (BpfMap m : maps) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new BpfException("map " + name + ": no such map in object " + this.name, Errno.ENOENT);
    }

    /** Links currently attached, in attach order. */
    public synchronized List<BpfLink> links() {
        return List.copyOf(links);
    }

    /**
     * A consumer for a {@link MapType#RINGBUF} or {@link MapType#PERF_EVENT_ARRAY} map of this object; the same
     * instance for repeated calls with the same map (a new one after the previous was closed). Closed with the
     * object.
     *
     * @throws BpfException with EINVAL for any other map type
     */
    public synchronized EventBuffer openBuffer(BpfMap map) throws BpfException {
        ensureOpen();
        if (map.object() != this) {
            throw new BpfException("map " + map.name() + ": belongs to object " + map.object().name()
                    + ", not " + name, Errno.EINVAL);
        }
        MapEventBuffer existing = buffers.get(map);
        if (existing != null && !existing.isClosed()) {
            return existing;
        }
        NativeBuffer reader;
        try (var _ = LibbpfLog.collectInto(log)) {
            reader = switch (map.type()) {
                case RINGBUF -> RingBufferReader.open(map.fd(), map.maxEntries());
                case PERF_EVENT_ARRAY -> PerfBufferReader.open(map.fd(), PERF_PAGES_PER_CPU);
                default -> throw new BpfException("map " + map.name() + ": is a " + map.type()
                        + " map; only RINGBUF and PERF_EVENT_ARRAY maps deliver events", Errno.EINVAL);
            };
        } catch (ErrnoException e) {
            throw new BpfException("map " + map.name() + ": cannot open its event buffer: " + e.getMessage(),
                    e.errno());
        }
        MapEventBuffer buffer = new MapEventBuffer(map, reader);
        buffers.put(map, buffer);
        return buffer;
    }

    /** Closes buffers, detaches links, unloads programs and maps. Idempotent. */
    @Override
    public void close() {
        List<MapEventBuffer> openBuffers;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            openBuffers = List.copyOf(buffers.values());
            buffers.clear();
        }
        // Outside the lock: closing waits for a poll running on another thread, whose handler may call into us.
        openBuffers.forEach(MapEventBuffer::close);
        synchronized (this) {
            try (var _ = LibbpfLog.collectInto(log)) {
                for (BpfLink link : links.reversed()) {
                    link.handle().destroy();
                }
                links.clear();
                handle.close();
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    synchronized BpfLink attach(BpfProgram program, String target, TcPath tcPath) throws BpfException {
        ensureOpen();
        try (var _ = LibbpfLog.collectInto(log)) {
            LibbpfLink link = Attachment.attach(program, target, tcPath);
            BpfLink result = new BpfLink(program, link);
            links.add(result);
            return result;
        }
    }

    /** A line of our own for the object's log, next to libbpf's (e.g. why an attachment took another path). */
    void note(String line) {
        log.accept(line);
    }

    synchronized void detach(BpfLink link) {
        if (links.remove(link)) {
            try (var _ = LibbpfLog.collectInto(log)) {
                link.handle().destroy();
            }
        }
    }

    private void ensureOpen() throws BpfException {
        if (closed) {
            throw new BpfException("object " + name + ": is closed", Errno.EBADF);
        }
    }
}
