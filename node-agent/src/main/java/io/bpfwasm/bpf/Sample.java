package io.bpfwasm.bpf;

/**
 * One record of a ring or perf buffer, valid only during {@link SampleHandler#onSample}. Reads are bounds-checked
 * against {@link #size()}.
 */
public interface Sample {
    int size();

    byte getByte(int offset);

    /** Little-endian 8 bytes at offset (offset + 8 must not exceed size). */
    long getLong(int offset);

    void copyTo(int offset, byte[] dst, int dstOffset, int length);
}
