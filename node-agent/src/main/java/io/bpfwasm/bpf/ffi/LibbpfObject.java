package io.bpfwasm.bpf.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A libbpf {@code struct bpf_object} opened from ELF bytes. Owns a shared arena holding the ELF bytes, the open
 * options and the name: libbpf may refer to the bytes until the object is closed, so they live exactly as long.
 * Not thread-safe; the owner serialises calls.
 */
public final class LibbpfObject implements AutoCloseable {
    /** sizeof(struct bpf_object_open_opts) in libbpf 1.1. */
    private static final long OPEN_OPTS_SIZE = 80;
    private static final long OPTS_OBJECT_NAME_OFFSET = 8;

    private final Arena arena;
    private final MemorySegment object;
    private boolean closed;

    private LibbpfObject(Arena arena, MemorySegment object) {
        this.arena = arena;
        this.object = object;
    }

    /** bpf_object__open_mem: parses the ELF (no kernel objects yet). */
    public static LibbpfObject open(byte[] elf, String name) throws ErrnoException {
        LibbpfLog.ensureInstalled();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment bytes = arena.allocate(Math.max(1, elf.length), 8);
            MemorySegment.copy(elf, 0, bytes, ValueLayout.JAVA_BYTE, 0, elf.length);
            MemorySegment opts = arena.allocate(OPEN_OPTS_SIZE, 8); // zeroed: every other option at its default
            opts.set(ValueLayout.JAVA_LONG, 0, OPEN_OPTS_SIZE);
            opts.set(ValueLayout.ADDRESS, OPTS_OBJECT_NAME_OFFSET, arena.allocateFrom(name));
            MemorySegment capture = Native.allocateCapture(arena);
            MemorySegment object = (MemorySegment) Libbpf.OBJECT_OPEN_MEM.invokeExact(
                    capture, bytes, (long) elf.length, opts);
            if (object.equals(MemorySegment.NULL)) {
                throw new ErrnoException(Native.errno(capture));
            }
            return new LibbpfObject(arena, object);
        } catch (ErrnoException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw Native.unexpected(t);
        }
    }

    /** bpf_object__load: creates the maps and loads the programs; 0 or a negative errno. */
    public int load() {
        try {
            return (int) Libbpf.OBJECT_LOAD.invokeExact(object);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public List<LibbpfProgram> programs() {
        List<LibbpfProgram> programs = new ArrayList<>();
        try {
            MemorySegment prog = (MemorySegment) Libbpf.OBJECT_NEXT_PROGRAM.invokeExact(object, MemorySegment.NULL);
            while (!prog.equals(MemorySegment.NULL)) {
                programs.add(new LibbpfProgram(prog));
                prog = (MemorySegment) Libbpf.OBJECT_NEXT_PROGRAM.invokeExact(object, prog);
            }
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
        return programs;
    }

    public List<LibbpfMap> maps() {
        List<LibbpfMap> maps = new ArrayList<>();
        try {
            MemorySegment map = (MemorySegment) Libbpf.OBJECT_NEXT_MAP.invokeExact(object, MemorySegment.NULL);
            while (!map.equals(MemorySegment.NULL)) {
                maps.add(new LibbpfMap(map));
                map = (MemorySegment) Libbpf.OBJECT_NEXT_MAP.invokeExact(object, map);
            }
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
        return maps;
    }

    /** bpf_object__close (closes all program and map fds), then frees the ELF bytes. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Libbpf.OBJECT_CLOSE.invokeExact(object);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        } finally {
            arena.close();
        }
    }
}
