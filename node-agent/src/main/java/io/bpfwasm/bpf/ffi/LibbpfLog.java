package io.bpfwasm.bpf.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives every libbpf log line (libbpf_set_print) and routes it to the collector of the calling thread, set with
 * {@link #collectInto} around libbpf calls made on behalf of one object, and to the "io.bpfwasm.libbpf" logger at
 * debug level. libbpf only logs on the thread that called it, so a thread-local is enough to attribute lines.
 */
public final class LibbpfLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.bpfwasm.libbpf");
    private static final ThreadLocal<Consumer<String>> COLLECTOR = new ThreadLocal<>();
    /** sizeof(va_list) on x86_64: struct { u32 gp_offset, fp_offset; void *overflow_arg_area, *reg_save_area; }. */
    private static final long VA_LIST_SIZE = 24;
    private static final int FIRST_TRY_SIZE = 512;

    static {
        install();
    }

    private LibbpfLog() {}

    /** Makes sure the print callback is installed (class initialisation does it once). */
    static void ensureInstalled() {}

    private static void install() {
        MemorySegment stub = Native.upcall(MethodHandles.lookup(), "print",
                MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class),
                FunctionDescriptor.of(Native.C_INT, Native.C_INT, Native.C_POINTER, Native.C_POINTER),
                null, Arena.global()); // libbpf keeps the pointer for the life of the process
        try {
            var _ = (MemorySegment) Libbpf.SET_PRINT.invokeExact(stub); // the previous (default stderr) printer
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** A scope during which libbpf lines logged by this thread also go to sink. Close restores the previous one. */
    public static Scope collectInto(Consumer<String> sink) {
        ensureInstalled();
        Consumer<String> previous = COLLECTOR.get();
        COLLECTOR.set(sink);
        return () -> COLLECTOR.set(previous);
    }

    /** The scope returned by {@link #collectInto}. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** The libbpf_print_fn_t upcall: int (*)(enum libbpf_print_level, const char *fmt, va_list args). */
    private static int print(int level, MemorySegment format, MemorySegment args) {
        try {
            String text = format(format, args);
            Consumer<String> sink = COLLECTOR.get();
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                LOG.debug("{}", line);
                if (sink != null) {
                    sink.accept(line);
                }
            }
        } catch (Throwable t) {
            // An exception escaping an upcall would kill the JVM.
            try {
                LOG.warn("dropped a libbpf log line", t);
            } catch (Throwable ignored) {
                // nothing left to do
            }
        }
        return 0;
    }

    /**
     * Formats a printf format with its va_list. vsnprintf consumes the va_list it is given, so each attempt works
     * on a fresh copy of the caller's (on x86_64 copying the 24-byte struct is what va_copy does).
     */
    static String format(MemorySegment format, MemorySegment vaList) throws Throwable {
        MemorySegment original = Native.view(vaList, VA_LIST_SIZE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(VA_LIST_SIZE, 8);
            copy.copyFrom(original);
            MemorySegment buffer = arena.allocate(FIRST_TRY_SIZE);
            int length = (int) Libc.VSNPRINTF.invokeExact(buffer, (long) FIRST_TRY_SIZE, format, copy);
            if (length < 0) {
                return Native.string(format);
            }
            if (length >= FIRST_TRY_SIZE) {
                copy.copyFrom(original);
                buffer = arena.allocate(length + 1L);
                length = (int) Libc.VSNPRINTF.invokeExact(buffer, length + 1L, format, copy);
            }
            return buffer.getString(0);
        }
    }
}
