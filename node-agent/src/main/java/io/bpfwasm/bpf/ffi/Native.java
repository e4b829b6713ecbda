package io.bpfwasm.bpf.ffi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/** Lookup helpers shared by the bindings: the linker, the libbpf and libc symbol tables, errno capture. */
final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    static final AddressLayout C_POINTER = ValueLayout.ADDRESS;
    static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    /** Layout of the errno capture segment passed as first argument to handles bound with {@link #downcallErrno}. */
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final SymbolLookup LIBBPF = libraryLookup("libbpf.so.1");
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    private Native() {}

    @SuppressWarnings("restricted")
    private static SymbolLookup libraryLookup(String name) {
        return SymbolLookup.libraryLookup(name, Arena.global());
    }

    private static MemorySegment symbol(String name) {
        return LIBBPF.find(name)
                .or(() -> LIBC.find(name))
                .orElseThrow(() -> new UnsatisfiedLinkError("symbol not found in libbpf.so.1 or libc: " + name));
    }

    @SuppressWarnings("restricted")
    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(symbol(name), descriptor, options);
    }

    /** A downcall whose first argument is a capture segment (see {@link #allocateCapture}) receiving errno. */
    static MethodHandle downcallErrno(String name, FunctionDescriptor descriptor) {
        return downcall(name, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** A short, non-blocking downcall that may take heap segments (byte[]) as pointer arguments. */
    static MethodHandle downcallCritical(String name, FunctionDescriptor descriptor) {
        return downcall(name, descriptor, Linker.Option.critical(true));
    }

    /** An upcall stub for the method of lookup's class (static when receiver is null), living as long as arena. */
    @SuppressWarnings("restricted")
    static MemorySegment upcall(MethodHandles.Lookup lookup, String method, MethodType type,
            FunctionDescriptor descriptor, Object receiver, Arena arena) {
        Class<?> owner = lookup.lookupClass();
        try {
            MethodHandle target = receiver == null
                    ? lookup.findStatic(owner, method, type)
                    : lookup.findVirtual(owner, method, type).bindTo(receiver);
            return LINKER.upcallStub(target, descriptor, arena);
        } catch (ReflectiveOperationException e) {
            throw new LinkageError("upcall target " + owner.getSimpleName() + "." + method, e);
        }
    }

    /** Views native memory at address as a segment of size bytes, living as long as arena. */
    @SuppressWarnings("restricted")
    static MemorySegment view(MemorySegment address, long size, Arena arena, Runnable cleanup) {
        return address.reinterpret(size, arena, cleanup == null ? null : s -> cleanup.run());
    }

    @SuppressWarnings("restricted")
    static MemorySegment view(MemorySegment address, long size) {
        return address.reinterpret(size);
    }

    /** Reads a NUL-terminated C string, or null for a NULL pointer. */
    @SuppressWarnings("restricted")
    static String string(MemorySegment cString) {
        if (cString.equals(MemorySegment.NULL)) {
            return null;
        }
        return cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    static MemorySegment allocateCapture(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
