package io.bpfwasm.runtime.wasibpf;

import io.bpfwasm.runtime.wasm.GuestMemory;
import java.nio.charset.StandardCharsets;

/**
 * Reads and checks guest pointers. Pointers and lengths are unsigned 32-bit values; a range that does not lie
 * entirely inside the guest's current memory is EFAULT, so a hostile guest can never make the host touch memory
 * it does not own.
 */
final class GuestPointers {
    /** Longest NUL-terminated string accepted (program and map names, attach targets such as paths). */
    static final int MAX_STRING = 4096;

    private GuestPointers() {}

    static boolean inBounds(GuestMemory memory, int ptr, int length) {
        return Integer.toUnsignedLong(ptr) + Integer.toUnsignedLong(length) <= memory.size();
    }

    static void check(GuestMemory memory, int ptr, int length) throws GuestFault {
        if (!inBounds(memory, ptr, length)) {
            throw new GuestFault(WasiErrno.EFAULT);
        }
    }

    static byte[] read(GuestMemory memory, int ptr, int length) throws GuestFault {
        check(memory, ptr, length);
        return memory.readBytes(ptr, length);
    }

    /**
     * A NUL-terminated UTF-8 string: EFAULT when it starts outside memory or memory ends before its NUL,
     * ENAMETOOLONG when it has no NUL within {@link #MAX_STRING} bytes.
     */
    static String readCString(GuestMemory memory, int ptr) throws GuestFault {
        long start = Integer.toUnsignedLong(ptr);
        long available = memory.size() - start;
        if (available <= 0) {
            throw new GuestFault(WasiErrno.EFAULT);
        }
        int window = (int) Math.min(available, MAX_STRING + 1L);
        byte[] bytes = memory.readBytes(ptr, window);
        for (int i = 0; i < window; i++) {
            if (bytes[i] == 0) {
                return new String(bytes, 0, i, StandardCharsets.UTF_8);
            }
        }
        throw new GuestFault(window > MAX_STRING ? WasiErrno.ENAMETOOLONG : WasiErrno.EFAULT);
    }
}
