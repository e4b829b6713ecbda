package io.bpfwasm.bpf.ffi;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** A {@code struct bpf_map} of a {@link LibbpfObject}; valid until the object is closed. */
public final class LibbpfMap {
    private final MemorySegment map;

    LibbpfMap(MemorySegment map) {
        this.map = map;
    }

    public String name() {
        try {
            return Native.string((MemorySegment) Libbpf.MAP_NAME.invokeExact(map));
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The kernel's enum bpf_map_type value. */
    public int type() {
        return intProperty(Libbpf.MAP_TYPE);
    }

    public int keySize() {
        return intProperty(Libbpf.MAP_KEY_SIZE);
    }

    public int valueSize() {
        return intProperty(Libbpf.MAP_VALUE_SIZE);
    }

    public int maxEntries() {
        return intProperty(Libbpf.MAP_MAX_ENTRIES);
    }

    /** The map fd after load, negative before. */
    public int fd() {
        return intProperty(Libbpf.MAP_FD);
    }

    private int intProperty(MethodHandle getter) {
        try {
            return (int) getter.invokeExact(map);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
