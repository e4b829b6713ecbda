package io.bpfwasm.runtime.wasm;

/**
 * A guest's linear memory. Addresses are unsigned 32-bit offsets passed as int. These accessors do not check
 * bounds in a guest-friendly way; callers validate ranges against {@link #size()} first (see
 * io.bpfwasm.runtime.wasibpf.GuestPointers).
 */
public interface GuestMemory {

    /** Current size in bytes (grows, never shrinks). */
    long size();

    byte readByte(int addr);

    void writeByte(int addr, byte value);

    int readInt(int addr);

    void writeInt(int addr, int value);

    long readLong(int addr);

    void writeLong(int addr, long value);

    byte[] readBytes(int addr, int length);

    void write(int addr, byte[] src, int offset, int length);
}
