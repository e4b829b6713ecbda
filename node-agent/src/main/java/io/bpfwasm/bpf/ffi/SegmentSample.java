package io.bpfwasm.bpf.ffi;

import io.bpfwasm.bpf.Sample;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A {@link Sample} over native memory, read in place: one instance per buffer, repositioned for every record, so
 * delivering a record allocates nothing. Every read is checked against the record's size.
 */
final class SegmentSample implements Sample {
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private MemorySegment memory = MemorySegment.NULL;
    private long base;
    private int size;

    void reset(MemorySegment memory, long base, int size) {
        this.memory = memory;
        this.base = base;
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public byte getByte(int offset) {
        Objects.checkIndex(offset, size);
        return memory.get(ValueLayout.JAVA_BYTE, base + offset);
    }

    @Override
    public int getInt(int offset) {
        Objects.checkFromIndexSize(offset, Integer.BYTES, size);
        return memory.get(INT_LE, base + offset);
    }

    @Override
    public long getLong(int offset) {
        Objects.checkFromIndexSize(offset, Long.BYTES, size);
        return memory.get(LONG_LE, base + offset);
    }

    @Override
    public void copyTo(int offset, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(offset, length, size);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, base + offset, dst, dstOffset, length);
    }
}
