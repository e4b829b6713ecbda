package io.bpfwasm.bpf.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A {@code struct bpf_program} of a {@link LibbpfObject}; valid until the object is closed. */
public final class LibbpfProgram {
    private final MemorySegment program;

    LibbpfProgram(MemorySegment program) {
        this.program = program;
    }

    public String name() {
        try {
            return Native.string((MemorySegment) Libbpf.PROGRAM_NAME.invokeExact(program));
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public String sectionName() {
        try {
            return Native.string((MemorySegment) Libbpf.PROGRAM_SECTION_NAME.invokeExact(program));
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The kernel's enum bpf_prog_type value. */
    public int type() {
        try {
            return (int) Libbpf.PROGRAM_TYPE.invokeExact(program);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The program fd after load, negative before. */
    public int fd() {
        try {
            return (int) Libbpf.PROGRAM_FD.invokeExact(program);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** bpf_program__attach: attaches by the section name. */
    public LibbpfLink attach() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(arena);
            return link((MemorySegment) Libbpf.PROGRAM_ATTACH.invokeExact(capture, program), capture);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** bpf_program__attach_tracepoint(category, name). */
    public LibbpfLink attachTracepoint(String category, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(arena);
            MemorySegment link = (MemorySegment) Libbpf.PROGRAM_ATTACH_TRACEPOINT.invokeExact(
                    capture, program, arena.allocateFrom(category), arena.allocateFrom(name));
            return link(link, capture);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** bpf_program__attach_raw_tracepoint(name). */
    public LibbpfLink attachRawTracepoint(String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(arena);
            MemorySegment link = (MemorySegment) Libbpf.PROGRAM_ATTACH_RAW_TRACEPOINT.invokeExact(
                    capture, program, arena.allocateFrom(name));
            return link(link, capture);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static LibbpfLink link(MemorySegment link, MemorySegment capture) throws ErrnoException {
        if (link.equals(MemorySegment.NULL)) {
            int errno = Native.errno(capture);
            throw new ErrnoException(errno == 0 ? 22 /* EINVAL */ : errno);
        }
        return new LibbpfLink(link);
    }
}
