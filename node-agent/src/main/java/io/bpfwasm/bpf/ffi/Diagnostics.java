package io.bpfwasm.bpf.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** libbpf's names and texts for error codes and program types. */
public final class Diagnostics {
    private Diagnostics() {}

    /** libbpf_strerror: the C library text for errno values, libbpf's own text for its codes >= 4000. */
    public static String strerror(int errno) {
        int code = Math.abs(errno);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(128);
            int result = (int) Libbpf.STRERROR.invokeExact(code, buffer, 128L);
            String text = buffer.getString(0);
            return result == 0 && !text.isEmpty() ? text : "error " + code;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** libbpf's name of a bpf_prog_type ("tracepoint", "tracing", "xdp", ...), or "type N" when unknown. */
    public static String programTypeName(int type) {
        try {
            String name = Native.string((MemorySegment) Libbpf.PROG_TYPE_STR.invokeExact(type));
            return name == null ? "type " + type : name;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
