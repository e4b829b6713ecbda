package io.bpfwasm.bpf.ffi;

import java.lang.foreign.MemorySegment;

/**
 * Element operations on a map fd (bpf_map_*_elem). Keys and values are Java arrays passed to the kernel without
 * copying; the caller has checked their lengths against the map's key and value sizes. Each returns 0 or -errno.
 */
public final class MapCalls {
    private static final int POSSIBLE_CPUS = queryPossibleCpus();

    private MapCalls() {}

    /** Number of possible CPUs: per-CPU maps exchange one value slot per possible CPU with user space. */
    public static int possibleCpus() {
        return POSSIBLE_CPUS;
    }

    private static int queryPossibleCpus() {
        try {
            int cpus = (int) Libbpf.NUM_POSSIBLE_CPUS.invokeExact();
            if (cpus <= 0) {
                throw new IllegalStateException("libbpf_num_possible_cpus failed: " + cpus);
            }
            return cpus;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int lookup(int fd, byte[] key, byte[] value) {
        try {
            return (int) Libbpf.MAP_LOOKUP_ELEM.invokeExact(fd, MemorySegment.ofArray(key), MemorySegment.ofArray(value));
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int update(int fd, byte[] key, byte[] value, long flags) {
        try {
            return (int) Libbpf.MAP_UPDATE_ELEM.invokeExact(
                    fd, MemorySegment.ofArray(key), MemorySegment.ofArray(value), flags);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public static int delete(int fd, byte[] key) {
        try {
            return (int) Libbpf.MAP_DELETE_ELEM.invokeExact(fd, MemorySegment.ofArray(key));
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** key null asks for the first key. */
    public static int nextKey(int fd, byte[] key, byte[] nextKey) {
        try {
            MemorySegment current = key == null ? MemorySegment.NULL : MemorySegment.ofArray(key);
            return (int) Libbpf.MAP_GET_NEXT_KEY.invokeExact(fd, current, MemorySegment.ofArray(nextKey));
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
