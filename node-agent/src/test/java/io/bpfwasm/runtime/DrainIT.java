package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every one of 1e6 queued ring buffer records reaches the guest's callback exactly once, in order (guest_drain
 * checks the sequence numbers), through the wasm_bpf poll path. Prints the drain cost per record.
 */
class DrainIT {
    static final int RECORDS = 1_000_000;

    @Test
    void drainsAMillionQueuedRecordsInOrder() throws Exception {
        // the second round runs with a warm JIT, as a long-running agent does
        for (String round : new String[] {"first (cold JIT)", "second (warm JIT)"}) {
            drain(round);
        }
    }

    private void drain(String round) throws Exception {
        var producer = new ProcessBuilder(NativeBuild.dir().resolve("host/bpf_getpid_loop").toString())
                .redirectErrorStream(true).start();
        var run = new GuestRun();
        try (var host = ProgramHost.start(run.spec("guest_drain", String.valueOf(producer.pid()),
                String.valueOf(RECORDS)).build())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> run.stdout.contains("ready") || !host.isRunning());
            try (var in = new OutputStreamWriter(producer.getOutputStream(), StandardCharsets.US_ASCII)) {
                in.write(RECORDS + "\n");
            }
            assertThat(producer.waitFor()).isZero();
            var result = host.await(Duration.ofSeconds(120)).orElseThrow();
            assertThat(result.outcome()).as(run.stderr()).isEqualTo(new ProgramOutcome.Exited(0));
        } finally {
            producer.destroy();
        }
        String line = run.stdout.stream().filter(l -> l.startsWith("drained=")).findFirst().orElseThrow();
        var m = Pattern.compile("drained=(\\d+) bad=(\\d+) dropped=(\\d+) ns_per_event=([\\d.]+)").matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(RECORDS);
        assertThat(Long.parseLong(m.group(2))).as("records out of sequence").isZero();
        assertThat(Long.parseLong(m.group(3))).as("records dropped by the producer").isZero();
        System.out.println("DrainIT: " + round + " guest drain of " + RECORDS + " queued records: " + m.group(4)
                + " ns/record");
    }
}
