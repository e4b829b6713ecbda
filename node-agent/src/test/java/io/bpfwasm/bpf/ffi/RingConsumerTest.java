package io.bpfwasm.bpf.ffi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ring record walk on a ring laid out in plain memory the way the kernel writes it. */
class RingConsumerTest {
    private static final int SIZE = 64;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment consumerPage = arena.allocate(8, 8);
    private final MemorySegment producerPage = arena.allocate(8, 8);
    /** The kernel maps the data area twice back to back; the test writes wrapped records into both halves. */
    private final MemorySegment data = arena.allocate(2 * SIZE, 8);
    private final RingConsumer consumer = new RingConsumer(consumerPage, producerPage, data.asReadOnly(), SIZE);
    private long producer;

    @AfterEach
    void free() {
        arena.close();
    }

    /** Appends a record as the kernel does: header (length | flags, page offset) then payload, padded to 8. */
    private void produce(int flags, byte... payload) {
        long offset = producer & (SIZE - 1);
        writeBoth(offset, header(payload.length | flags));
        for (int i = 0; i < payload.length; i++) {
            writeByte(offset + 8 + i, payload[i]);
        }
        producer += RingConsumer.footprint(payload.length);
        producerPage.set(ValueLayout.JAVA_LONG, 0, producer);
    }

    private static byte[] header(int lengthAndFlags) {
        byte[] h = new byte[8];
        for (int i = 0; i < 4; i++) {
            h[i] = (byte) (lengthAndFlags >>> (8 * i));
        }
        return h;
    }

    private void writeBoth(long offset, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            writeByte(offset + i, bytes[i]);
        }
    }

    private void writeByte(long offset, byte b) {
        long wrapped = offset % SIZE;
        data.set(ValueLayout.JAVA_BYTE, wrapped, b);
        data.set(ValueLayout.JAVA_BYTE, wrapped + SIZE, b);
    }

    private void setFlags(long position, int lengthAndFlags) {
        writeBoth(position & (SIZE - 1), header(lengthAndFlags));
    }

    private long consumerPosition() {
        return consumerPage.get(ValueLayout.JAVA_LONG, 0);
    }

    private List<String> consumeAll() {
        List<String> seen = new ArrayList<>();
        int count = consumer.consume(sample -> {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < sample.size(); i++) {
                s.append((char) sample.getByte(i));
            }
            seen.add(s.toString());
            return 0;
        });
        assertThat(count).isEqualTo(seen.size());
        return seen;
    }

    @Test
    void footprintIsHeaderPlusPayloadRoundedUpToEight() {
        assertThat(RingConsumer.footprint(0)).isEqualTo(8);
        assertThat(RingConsumer.footprint(1)).isEqualTo(16);
        assertThat(RingConsumer.footprint(8)).isEqualTo(16);
        assertThat(RingConsumer.footprint(9)).isEqualTo(24);
        assertThat(RingConsumer.length(5 | RingConsumer.BUSY_BIT | RingConsumer.DISCARD_BIT)).isEqualTo(5);
    }

    @Test
    void deliversCommittedRecordsInOrderAndPublishesTheConsumerPosition() {
        produce(0, "abc".getBytes());
        produce(0, "12345678".getBytes());
        assertThat(consumer.hasData()).isTrue();
        assertThat(consumeAll()).containsExactly("abc", "12345678");
        assertThat(consumerPosition()).isEqualTo(32);
        assertThat(consumer.hasData()).isFalse();
        assertThat(consumeAll()).isEmpty();
    }

    @Test
    void stopsAtABusyRecordAndResumesOnceItIsCommitted() {
        produce(0, "one".getBytes());
        long busyAt = producer;
        produce(RingConsumer.BUSY_BIT, "two".getBytes());
        produce(0, "three".getBytes());
        assertThat(consumeAll()).containsExactly("one");
        assertThat(consumerPosition()).isEqualTo(busyAt);

        setFlags(busyAt, 3); // committed
        assertThat(consumeAll()).containsExactly("two", "three");
    }

    @Test
    void skipsDiscardedRecords() {
        produce(0, "keep".getBytes());
        produce(RingConsumer.DISCARD_BIT, "drop".getBytes());
        produce(0, "also".getBytes());
        assertThat(consumeAll()).containsExactly("keep", "also");
        assertThat(consumerPosition()).isEqualTo(producer);
    }

    @Test
    void readsRecordsThatWrapAroundTheEndOfTheRing() {
        for (int round = 0; round < 10; round++) {
            produce(0, ("r" + round + "-xxxxxxxxxx").getBytes()); // 24 bytes each: never aligned to the ring end
            assertThat(consumeAll()).containsExactly("r" + round + "-xxxxxxxxxx");
        }
        assertThat(consumerPosition()).isEqualTo(10 * 24);
    }

    @Test
    void negativeHandlerResultStopsAfterReleasingThatRecord() {
        produce(0, "a".getBytes());
        produce(0, "b".getBytes());
        assertThat(consumer.consume(sample -> -7)).isEqualTo(-7);
        assertThat(consumerPosition()).isEqualTo(16);
        assertThat(consumeAll()).containsExactly("b");
    }

    @Test
    void samplesAreBoundsChecked() {
        produce(0, "12345678abcd".getBytes());
        consumer.consume(sample -> {
            assertThat(sample.size()).isEqualTo(12);
            assertThat(sample.getLong(4)).isEqualTo(0x6463626138373635L);
            assertThat(sample.getInt(8)).isEqualTo(0x64636261);
            assertThatThrownBy(() -> sample.getByte(12)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> sample.getByte(-1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> sample.getLong(5)).isInstanceOf(IndexOutOfBoundsException.class);
            byte[] copy = new byte[4];
            sample.copyTo(8, copy, 0, 4);
            assertThat(new String(copy)).isEqualTo("abcd");
            assertThatThrownBy(() -> sample.copyTo(9, copy, 0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> sample.copyTo(0, copy, 1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
            return 0;
        });
    }

    @Test
    void rejectsImpossibleGeometry() {
        assertThatThrownBy(() -> new RingConsumer(consumerPage, producerPage, data, 48))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RingConsumer(consumerPage, producerPage, data, 128))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
