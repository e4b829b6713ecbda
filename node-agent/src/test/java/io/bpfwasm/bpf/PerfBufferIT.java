package io.bpfwasm.bpf;

import static io.bpfwasm.bpf.NativeBuild.u32;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Perf event array delivery through libbpf's perf_buffer (native/tests/bpf_perf.bpf.c). */
class PerfBufferIT {
    private static final int EINTR = 4;

    private BpfObject object;
    private EventBuffer samples;

    @BeforeEach
    void load() throws BpfException {
        object = BpfObject.load(NativeBuild.bytes("bpf_perf.bpf.o"), "perf", line -> {});
        object.program("on_getpid").attach(null);
        samples = object.openBuffer(object.map("samples"));
        assertThat(samples.map().type()).isEqualTo(MapType.PERF_EVENT_ARRAY);
    }

    @AfterEach
    void close() {
        object.close();
    }

    @Test
    void deliversEverySample() throws Exception {
        int calls = 5_000;
        List<Long> received = new ArrayList<>();
        try (GetpidLoad load = new GetpidLoad()) {
            assertThat(object.map("params").update(u32(0), u32(load.pid()), 0)).isZero();
            load.start(calls);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < calls && System.nanoTime() < deadline) {
                int polled = samples.poll(100, sample -> {
                    assertThat(sample.size()).isGreaterThanOrEqualTo(8);
                    received.add(sample.getLong(0));
                    return 0;
                });
                assertThat(polled).isGreaterThanOrEqualTo(0);
            }
            load.awaitDone();
        }
        samples.poll(0, sample -> {
            received.add(sample.getLong(0));
            return 0;
        });
        // Per-CPU buffers: order holds per CPU only, so compare as a set of sequence numbers.
        assertThat(received).hasSize(calls).doesNotHaveDuplicates().allMatch(seq -> seq >= 0 && seq < calls);
        assertThat(samples.lostSamples()).isZero();
    }

    @Test
    void pollReturnsEintrPromptlyWhenItsThreadIsInterrupted() throws Exception {
        CompletableFuture<long[]> result = new CompletableFuture<>();
        Thread poller = Thread.ofPlatform().start(() -> {
            int polled = samples.poll(1_000, sample -> 0);
            result.complete(new long[] {polled, System.nanoTime()});
        });
        Thread.sleep(200);
        long interruptedAt = System.nanoTime();
        poller.interrupt();
        long[] outcome = result.get(2, TimeUnit.SECONDS);
        assertThat(outcome[0]).isEqualTo(-EINTR);
        assertThat(TimeUnit.NANOSECONDS.toMillis(outcome[1] - interruptedAt)).isLessThan(100);
    }

    @Test
    void negativeHandlerResultStopsThePollAndKeepsTheRest() throws Exception {
        int calls = 10;
        try (GetpidLoad load = new GetpidLoad()) {
            assertThat(object.map("params").update(u32(0), u32(load.pid()), 0)).isZero();
            load.start(calls);
            load.awaitDone();
        }
        List<Long> received = new ArrayList<>();
        int[] handled = {0};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int first;
        do {
            first = samples.poll(100, sample -> {
                received.add(sample.getLong(0));
                return ++handled[0] == 3 ? -42 : 0;
            });
        } while (first >= 0 && handled[0] < 3 && System.nanoTime() < deadline);
        assertThat(first).isEqualTo(-42);
        while (received.size() < calls && System.nanoTime() < deadline) {
            assertThat(samples.poll(100, sample -> {
                received.add(sample.getLong(0));
                return 0;
            })).isGreaterThanOrEqualTo(0);
        }
        assertThat(received).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(samples.lostSamples()).isZero();
    }

    @Test
    void closingTheObjectFromInsideAHandlerIsSafe() throws Exception {
        try (GetpidLoad load = new GetpidLoad()) {
            assertThat(object.map("params").update(u32(0), u32(load.pid()), 0)).isZero();
            load.start(20);
            load.awaitDone();
        }
        int[] seen = {0};
        int polled = samples.poll(1_000, sample -> {
            if (seen[0]++ == 0) {
                object.close(); // perf_buffer__free must wait until libbpf's poll has returned
            }
            return 0;
        });
        assertThat(polled).isPositive();
        assertThat(samples.poll(0, sample -> 0)).isEqualTo(-9); // EBADF
    }

    @Test
    void handlerExceptionsReachThePollerAndTheBufferStaysUsable() throws Exception {
        try (GetpidLoad load = new GetpidLoad()) {
            assertThat(object.map("params").update(u32(0), u32(load.pid()), 0)).isZero();
            load.start(3);
            load.awaitDone();
        }
        IllegalStateException thrown = null;
        try {
            samples.poll(1_000, sample -> {
                throw new IllegalStateException("handler failed");
            });
        } catch (IllegalStateException e) {
            thrown = e;
        }
        assertThat(thrown).hasMessage("handler failed");
        // the sample whose handler threw is consumed; the two after it are still delivered
        assertThat(samples.poll(0, sample -> 0)).isEqualTo(2);
    }
}
