package io.bpfwasm.bpf;

/**
 * One record of a ring or perf buffer, valid only during {@link SampleHandler#onSample}. Reads are bounds-checked
 * against {@link #size()}.
 */
public interface Sample {
    int size();

    byte getByte(int offset);

    /** Little-endian 4 bytes at offset (offset + 4 must not exceed size). */
    default int getInt(int offset) {
        java.util.Objects.checkFromIndexSize(offset, Integer.BYTES, size());
        int value = 0;
        for (int i = Integer.BYTES - 1; i >= 0; i--) {
            value = (value << 8) | (getByte(offset + i) & 0xff);
        }
        return value;
    }

    /** Little-endian 8 bytes at offset (offset + 8 must not exceed size). */
    long getLong(int offset);

    void copyTo(int offset, byte[] dst, int dstOffset, int length);
}
