package io.bpfwasm.bpf;

import static io.bpfwasm.bpf.NativeBuild.readU64;
import static io.bpfwasm.bpf.NativeBuild.u32;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The direct ring buffer reader against the kernel (native/tests/bpf_ringbench.bpf.c): every record arrives
 * exactly once, in order, with and without wakeups; a blocked poll answers interrupts and close promptly.
 */
class RingBufferIT {
    private static final int EINTR = 4;
    private static final int EBADF = 9;

    private BpfObject object;
    private EventBuffer records;

    @BeforeEach
    void load() throws BpfException {
        object = BpfObject.load(NativeBuild.bytes("bpf_ringbench.bpf.o"), "ringbench", line -> {});
        object.program("on_getpid").attach(null);
        records = object.openBuffer(object.map("records"));
    }

    @AfterEach
    void close() {
        object.close();
    }

    /** Checks sequence numbers and the pid of each record; counts records. */
    private static final class SequenceCheck implements SampleHandler {
        final int pid;
        long next;
        long wrongPid;
        long outOfOrder;

        SequenceCheck(int pid) {
            this.pid = pid;
        }

        @Override
        public int onSample(Sample sample) {
            if (sample.getLong(0) != next) {
                outOfOrder++;
            }
            if (sample.getInt(8) != pid || sample.size() != 16) {
                wrongPid++;
            }
            next++;
            return 0;
        }
    }

    private void target(int pid, boolean noWakeup) throws BpfException {
        BpfMap params = object.map("params");
        assertThat(params.update(u32(0), u32(pid), 0)).isZero();
        assertThat(params.update(u32(1), u32(noWakeup ? 1 : 0), 0)).isZero();
    }

    private long stat(int index) throws BpfException {
        byte[] value = new byte[8];
        assertThat(object.map("stats").lookup(u32(index), value)).isZero();
        return readU64(value);
    }

    @Test
    void deliversLiveRecordsWithWakeupsInOrder() throws Exception {
        int calls = 20_000;
        try (GetpidLoad load = new GetpidLoad()) {
            SequenceCheck check = new SequenceCheck(load.pid());
            target(load.pid(), false);
            load.start(calls);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (check.next < calls && System.nanoTime() < deadline) {
                assertThat(records.poll(100, check)).isGreaterThanOrEqualTo(0);
            }
            load.awaitDone();
            assertThat(records.poll(0, check)).isZero();
            assertThat(check.next).isEqualTo(calls);
            assertThat(check.outOfOrder).isZero();
            assertThat(check.wrongPid).isZero();
            assertThat(stat(0)).isEqualTo(calls);
            assertThat(stat(1)).as("dropped in the producer").isZero();
        }
    }

    @Test
    void drainsAMillionQueuedRecordsExactlyInOrder() throws Exception {
        int calls = 1_000_000;
        long drainedBefore = 0;
        for (int round = 1; round <= 3; round++) {
            try (GetpidLoad load = new GetpidLoad()) {
                SequenceCheck check = new SequenceCheck(load.pid());
                check.next = drainedBefore; // the program numbers records across rounds
                target(load.pid(), true);
                load.start(calls);
                load.awaitDone();

                long start = System.nanoTime();
                long delivered = 0;
                int result;
                while ((result = records.poll(0, check)) > 0) {
                    delivered += result;
                }
                long elapsed = System.nanoTime() - start;
                assertThat(result).isZero();
                System.out.printf("ring buffer drain round %d: %d records in %.1f ms, %.1f ns/record%n",
                        round, delivered, elapsed / 1e6, (double) elapsed / delivered);
                assertThat(delivered).isEqualTo(calls);
                assertThat(check.outOfOrder).isZero();
                assertThat(check.wrongPid).isZero();
                drainedBefore += calls;
                assertThat(stat(0)).isEqualTo(drainedBefore);
                assertThat(stat(1)).as("dropped in the producer").isZero();
            }
        }
    }

    @Test
    void noWakeupRecordsAreFoundByAWaitingPoll() throws Exception {
        try (GetpidLoad load = new GetpidLoad()) {
            SequenceCheck check = new SequenceCheck(load.pid());
            target(load.pid(), true);
            CompletableFuture<Integer> poll = CompletableFuture.supplyAsync(() -> records.poll(5_000, check));
            Thread.sleep(100);
            load.start(10);
            load.awaitDone();
            assertThat(poll.get(2, TimeUnit.SECONDS)).isEqualTo(10);
            assertThat(check.outOfOrder).isZero();
        }
    }

    @Test
    void negativeHandlerResultStopsThePollAndKeepsTheRest() throws Exception {
        try (GetpidLoad load = new GetpidLoad()) {
            SequenceCheck check = new SequenceCheck(load.pid());
            target(load.pid(), true);
            load.start(10);
            load.awaitDone();
            int[] calls = {0};
            assertThat(records.poll(0, sample -> ++calls[0] == 3 ? -42 : check.onSample(sample))).isEqualTo(-42);
            assertThat(calls[0]).isEqualTo(3);
            check.next = 3; // record 2 was consumed by the stopping call
            assertThat(records.poll(0, check)).isEqualTo(7);
            assertThat(check.outOfOrder).isZero();
        }
    }

    @Test
    void pollReturnsEintrPromptlyWhenItsThreadIsInterrupted() throws Exception {
        CompletableFuture<long[]> result = new CompletableFuture<>();
        Thread poller = Thread.ofPlatform().start(() -> {
            int polled = records.poll(1_000, sample -> 0);
            result.complete(new long[] {polled, System.nanoTime(), Thread.currentThread().isInterrupted() ? 1 : 0});
        });
        Thread.sleep(200);
        long interruptedAt = System.nanoTime();
        poller.interrupt();
        long[] outcome = result.get(2, TimeUnit.SECONDS);
        assertThat(outcome[0]).isEqualTo(-EINTR);
        assertThat(TimeUnit.NANOSECONDS.toMillis(outcome[1] - interruptedAt)).isLessThan(100);
        assertThat(outcome[2]).as("interrupt flag kept").isEqualTo(1);

        // An already interrupted thread does not wait at all.
        Thread.currentThread().interrupt();
        try {
            assertThat(records.poll(1_000, sample -> 0)).isEqualTo(-EINTR);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedPoll() throws Exception {
        CompletableFuture<Integer> poll = CompletableFuture.supplyAsync(() -> records.poll(-1, sample -> 0));
        Thread.sleep(100);
        long start = System.nanoTime();
        object.close();
        assertThat(poll.get(1, TimeUnit.SECONDS)).isEqualTo(-EBADF);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(200);
        assertThat(records.poll(0, sample -> 0)).isEqualTo(-EBADF);
    }

    @Test
    void closingTheObjectFromInsideAHandlerIsSafe() throws Exception {
        try (GetpidLoad load = new GetpidLoad()) {
            target(load.pid(), true);
            load.start(100);
            load.awaitDone();
        }
        int[] seen = {0};
        int polled = records.poll(0, sample -> {
            if (seen[0]++ == 0) {
                object.close();
            }
            sample.getLong(0); // the ring memory stays mapped until the poll returns
            return 0;
        });
        assertThat(polled).isEqualTo(seen[0]).isPositive();
        assertThat(records.poll(0, sample -> 0)).isEqualTo(-EBADF);
    }

    @Test
    void aClosedBufferIsReplacedByTheNextOpen() throws Exception {
        records.close();
        records.close();
        assertThat(records.poll(0, sample -> 0)).isEqualTo(-EBADF);
        EventBuffer reopened = object.openBuffer(object.map("records"));
        assertThat(reopened).isNotSameAs(records);
        assertThat(reopened.poll(0, sample -> 0)).isZero();
    }

    @Test
    void elementOperationsOnTheRingMapAreRefusedByTheKernel() throws Exception {
        BpfMap map = object.map("records");
        assertThat(map.keySize()).isZero();
        assertThat(map.valueSize()).isZero();
        assertThat(map.lookup(new byte[0], new byte[0])).isNegative();
        assertThat(map.update(new byte[0], new byte[0], 0)).isNegative();
        assertThat(map.delete(new byte[0])).isNegative();
        assertThat(map.nextKey(null, new byte[0])).isNegative();
    }

    @Test
    void timeoutWithoutRecordsReturnsZero() {
        long start = System.nanoTime();
        assertThat(records.poll(120, sample -> 0)).isZero();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMs).isBetween(110L, 400L);
        assertThat(records.lostSamples()).isZero();
    }
}
