package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The opensnoop example (openat enter/exit tracepoints) run by ProgramHost against the real kernel. */
class OpensnoopIT {

    @Test
    void reportsFilenameFlagsAndResultOfOpensByAProcessTheTestStarts() throws Exception {
        Path existing = Files.createTempFile("bpfwasm-opensnoop-", ".txt");
        Path missing = existing.resolveSibling("bpfwasm-opensnoop-missing-" + UUID.randomUUID());
        var lines = new CopyOnWriteArrayList<String>();
        var spec = ProgramSpec.builder("opensnoop")
                .wasm(NativeBuild.bytes(NativeBuild.example("opensnoop")))
                .stdout(new LineOutputStream(lines::add))
                .build();
        try (var host = ProgramHost.start(spec)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("opensnoop: tracing openat() calls"));
            var ids = host.kernelIds();

            Process cat = new ProcessBuilder("/bin/cat", existing.toString(), missing.toString()).start();
            cat.waitFor();
            String pid = "open pid=" + cat.pid() + " ";
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(pid).contains("comm=cat")
                        .containsPattern(" ret=\\d+ flags=0x[0-9a-f]+ ").endsWith("filename=" + existing));
                assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(pid).contains(" ret=-2 ")
                        .endsWith("filename=" + missing));
            });
            host.stop();
            assertThat(host.await(Duration.ofSeconds(2)).orElseThrow().outcome()).isEqualTo(new ProgramOutcome.Stopped());
            KernelLeaks.assertGone(ids);
        } finally {
            Files.deleteIfExists(existing);
        }
    }
}
