package io.bpfwasm.bpf;

/**
 * A map of a loaded {@link BpfObject}. The element operations are the hot path of guests: they return 0 or a
 * negative Linux errno instead of throwing. Key and value arrays must be at least {@link #keySize()} and
 * {@link #valueSize()} long (EINVAL otherwise).
 */
public final class BpfMap {

    public String name() {
        throw new UnsupportedOperationException("TODO");
    }

    public MapType type() {
        throw new UnsupportedOperationException("TODO");
    }

    public int keySize() {
        throw new UnsupportedOperationException("TODO");
    }

    public int valueSize() {
        throw new UnsupportedOperationException("TODO");
    }

    public int maxEntries() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Kernel map id (as bpftool shows it). */
    public int id() {
        throw new UnsupportedOperationException("TODO");
    }

    public int lookup(byte[] key, byte[] value) {
        throw new UnsupportedOperationException("TODO");
    }

    public int update(byte[] key, byte[] value, long flags) {
        throw new UnsupportedOperationException("TODO");
    }

    public int delete(byte[] key) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Writes the key following {@code key} (the first key when key is null) into nextKey; -ENOENT at the end. */
    public int nextKey(byte[] key, byte[] nextKey) {
        throw new UnsupportedOperationException("TODO");
    }
}
