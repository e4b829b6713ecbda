package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The map-based examples (syscount, runqlat) run by ProgramHost against the real kernel. */
class MapExamplesIT {
    /** getpid on x86_64, the call native/host/bpf_getpid_loop issues. */
    private static final int GETPID_NR = 39;
    private static final int CALLS = 5000;

    @Test
    void syscountCountsEveryGetpidOfTheProcessItFilters() throws Exception {
        Process producer = new ProcessBuilder(NativeBuild.dir().resolve("host/bpf_getpid_loop").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var lines = new CopyOnWriteArrayList<String>();
        try (var host = ProgramHost.start(exampleSpec("syscount", lines, "-i", "1", "-p", String.valueOf(producer.pid())))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.startsWith("syscount: ready")));
            var ids = host.kernelIds();
            try (var stdin = producer.getOutputStream();
                    var stdout = new BufferedReader(new InputStreamReader(producer.getInputStream(), StandardCharsets.UTF_8))) {
                stdin.write((CALLS + "\n").getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
                assertThat(stdout.readLine()).isEqualTo("done");
            }
            var getpidLine = Pattern.compile("syscall nr=" + GETPID_NR + " name=getpid count=(\\d+)");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines.stream()
                    .map(getpidLine::matcher).filter(m -> m.matches()).mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(0))
                    .as("highest getpid count reported").isGreaterThanOrEqualTo(CALLS));
            host.stop();
            assertThat(host.await(Duration.ofSeconds(2)).orElseThrow().outcome()).isEqualTo(new ProgramOutcome.Stopped());
            KernelLeaks.assertGone(ids);
        } finally {
            producer.destroyForcibly();
        }
    }

    @Test
    void runqlatPrintsANonEmptyHistogramShortlyAfterLoad() throws Exception {
        var lines = new CopyOnWriteArrayList<String>();
        try (var host = ProgramHost.start(exampleSpec("runqlat", lines, "-i", "1", "-n", "3", "-c"))) {
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.outcome()).as(String.join("\n", lines)).isEqualTo(new ProgramOutcome.Exited(0));
        }
        var total = Pattern.compile("interval 3 total=(\\d+)");
        var row = Pattern.compile("\\s*\\d+ -> \\d+\\s+: (\\d+)\\s+\\|.*");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(total.pattern()));
        long reported = lines.stream().map(total::matcher).filter(m -> m.matches())
                .mapToLong(m -> Long.parseLong(m.group(1))).sum();
        assertThat(reported).as("run-queue latencies counted in 3 s").isPositive();
        assertThat(lines.stream().map(row::matcher).filter(m -> m.matches()).mapToLong(m -> Long.parseLong(m.group(1))))
                .as("histogram rows with a count").anyMatch(count -> count > 0);
    }

    private static ProgramSpec exampleSpec(String name, List<String> lines, String... args) {
        return ProgramSpec.builder(name)
                .wasm(NativeBuild.bytes(NativeBuild.example(name)))
                .args(List.of(args))
                .stdout(new LineOutputStream(lines::add))
                .build();
    }
}
