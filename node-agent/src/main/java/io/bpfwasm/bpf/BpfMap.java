package io.bpfwasm.bpf;

import io.bpfwasm.bpf.ffi.ErrnoException;
import io.bpfwasm.bpf.ffi.KernelIds;
import io.bpfwasm.bpf.ffi.LibbpfMap;
import io.bpfwasm.bpf.ffi.MapCalls;

/**
 * A map of a loaded {@link BpfObject}. The element operations are the hot path of guests: they return 0 or a
 * negative Linux errno instead of throwing. Key and value arrays must be at least {@link #keySize()} and
 * {@link #valueSize()} long (EINVAL otherwise); for per-CPU maps values are {@link #userValueSize()} long. After the
 * object is closed they return -EBADF.
 */
public final class BpfMap {
    private final BpfObject object;
    private final String name;
    private final MapType type;
    private final int kernelType;
    private final int keySize;
    private final int valueSize;
    private final int userValueSize;
    private final int maxEntries;
    private final int fd;
    private final int id;

    BpfMap(BpfObject object, LibbpfMap handle) {
        this.object = object;
        this.name = handle.name();
        this.kernelType = handle.type();
        this.type = MapType.fromKernel(kernelType);
        this.keySize = handle.keySize();
        this.valueSize = handle.valueSize();
        this.userValueSize = userValueSize(kernelType, valueSize, MapCalls.possibleCpus());
        this.maxEntries = handle.maxEntries();
        this.fd = handle.fd();
        this.id = idOf(fd);
    }

    /** Per-CPU maps hand user space one 8-byte aligned value slot per possible CPU. */
    static int userValueSize(int kernelType, int valueSize, int possibleCpus) {
        boolean perCpu = kernelType == MapType.PERCPU_HASH.kernelValue()
                || kernelType == MapType.PERCPU_ARRAY.kernelValue()
                || kernelType == MapType.LRU_PERCPU_HASH.kernelValue()
                || kernelType == 21; // BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE
        return perCpu ? ((valueSize + 7) & ~7) * possibleCpus : valueSize;
    }

    private static int idOf(int fd) {
        try {
            return fd < 0 ? -1 : KernelIds.idOf(fd);
        } catch (ErrnoException e) {
            return -1;
        }
    }

    public String name() {
        return name;
    }

    public MapType type() {
        return type;
    }

    /** The kernel's enum bpf_map_type value, also for types {@link MapType} does not name. */
    public int kernelType() {
        return kernelType;
    }

    public int keySize() {
        return keySize;
    }

    public int valueSize() {
        return valueSize;
    }

    /**
     * Bytes of a value as user space reads and writes it: {@link #valueSize()}, except for per-CPU maps, where it is
     * the value size rounded up to 8 times the number of possible CPUs.
     */
    public int userValueSize() {
        return userValueSize;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** Kernel map id (as bpftool shows it). */
    public int id() {
        return id;
    }

    /** The map's file descriptor in this process (valid until the object is closed). */
    public int fd() {
        return fd;
    }

    public BpfObject object() {
        return object;
    }

    public int lookup(byte[] key, byte[] value) {
        int check = check(key, value, true);
        return check != 0 ? check : MapCalls.lookup(fd, key, value);
    }

    public int update(byte[] key, byte[] value, long flags) {
        int check = check(key, value, true);
        return check != 0 ? check : MapCalls.update(fd, key, value, flags);
    }

    public int delete(byte[] key) {
        int check = check(key, null, false);
        return check != 0 ? check : MapCalls.delete(fd, key);
    }

    /** Writes the key following {@code key} (the first key when key is null) into nextKey; -ENOENT at the end. */
    public int nextKey(byte[] key, byte[] nextKey) {
        if (object.isClosed()) {
            return -Errno.EBADF;
        }
        if ((key != null && key.length < keySize) || nextKey == null || nextKey.length < keySize) {
            return -Errno.EINVAL;
        }
        return MapCalls.nextKey(fd, key, nextKey);
    }

    /** The kernel reads and writes exactly the declared sizes, so shorter arrays must never reach it. */
    private int check(byte[] key, byte[] value, boolean withValue) {
        if (object.isClosed()) {
            return -Errno.EBADF;
        }
        if (key == null || key.length < keySize) {
            return -Errno.EINVAL;
        }
        if (withValue && (value == null || value.length < userValueSize)) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    @Override
    public String toString() {
        return "map " + name;
    }
}
