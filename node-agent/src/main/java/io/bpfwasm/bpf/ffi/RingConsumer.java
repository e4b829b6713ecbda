package io.bpfwasm.bpf.ffi;

import io.bpfwasm.bpf.SampleHandler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Reads the records of a BPF ring buffer from its memory, as libbpf's ringbuf.c does (the kernel ABI): the
 * consumer position (written by us), the producer position (written by the kernel) and the data area, which the
 * kernel maps twice back to back so a record never wraps. Each record starts with an 8-byte header (u32 length
 * with the BUSY and DISCARD bits, u32 page offset) and is padded to 8 bytes.
 */
final class RingConsumer {
    static final int BUSY_BIT = 1 << 31;
    static final int DISCARD_BIT = 1 << 30;
    static final int HEADER_SIZE = 8;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment consumerPosition;
    private final MemorySegment producerPosition;
    private final MemorySegment data;
    private final long mask;
    private final SegmentSample sample = new SegmentSample();

    /**
     * @param consumerPosition writable, the u64 consumer position at offset 0
     * @param producerPosition the u64 producer position at offset 0
     * @param data the data area, 2 × size bytes
     * @param size the ring size (max_entries), a power of two
     */
    RingConsumer(MemorySegment consumerPosition, MemorySegment producerPosition, MemorySegment data, long size) {
        if (Long.bitCount(size) != 1 || data.byteSize() < 2 * size) {
            throw new IllegalArgumentException("ring size " + size + " with a data area of " + data.byteSize());
        }
        this.consumerPosition = consumerPosition;
        this.producerPosition = producerPosition;
        this.data = data;
        this.mask = size - 1;
    }

    /** Record length without the flag bits. */
    static int length(int header) {
        return header & ~(BUSY_BIT | DISCARD_BIT);
    }

    /** Bytes a record with this payload length occupies: header plus payload, rounded up to 8. */
    static long footprint(int length) {
        return ((long) length + HEADER_SIZE + 7) & ~7L;
    }

    boolean hasData() {
        return (long) LONG.getAcquire(consumerPosition, 0L) < (long) LONG.getAcquire(producerPosition, 0L);
    }

    /**
     * Hands every committed record to handler, stopping at the first record still being written (BUSY) and skipping
     * discarded ones. Each record is released to the producer after its handler call returns.
     *
     * <p>Consuming continues while the producer keeps adding records, unless the thread is interrupted (checked
     * once per batch), so a producer faster than the handler cannot keep an interrupted poll from returning.
     *
     * @return the number of records handled, or the handler's negative result that stopped consuming
     */
    int consume(SampleHandler handler) {
        int count = 0;
        long consumer = (long) LONG.getAcquire(consumerPosition, 0L);
        long producer = (long) LONG.getAcquire(producerPosition, 0L);
        while (consumer < producer) {
            while (consumer < producer) {
                long offset = consumer & mask;
                int header = (int) INT.getAcquire(data, offset);
                if ((header & BUSY_BIT) != 0) {
                    return count;
                }
                int length = length(header);
                long next = consumer + footprint(length);
                int result = 0;
                if ((header & DISCARD_BIT) == 0) {
                    sample.reset(data, offset + HEADER_SIZE, length);
                    try {
                        result = handler.onSample(sample);
                    } finally {
                        LONG.setRelease(consumerPosition, 0L, next);
                    }
                    count++;
                } else {
                    LONG.setRelease(consumerPosition, 0L, next);
                }
                consumer = next;
                if (result < 0) {
                    return result;
                }
            }
            if (Thread.currentThread().isInterrupted() || count == Integer.MAX_VALUE) {
                return count;
            }
            producer = (long) LONG.getAcquire(producerPosition, 0L);
        }
        return count;
    }
}
