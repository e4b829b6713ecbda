package io.bpfwasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfwasm.runtime.NativeBuild;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bpfwasm run} in-process: exit codes and error text against the real kernel. */
class BpfwasmCommandIT {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int bpfwasm(String... args) {
        return BpfwasmCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    static final String PERMISSIVE_POLICY_LINE = "bpfwasm: attach policy: types=*; targets=interface:**,cgroup:**,"
            + "binary:** (the default for a local root user; narrow it with --allow-type and --allow-target)\n";

    /** Standard error after the attach policy line every run starts with. */
    String err() {
        String text = err.toString(StandardCharsets.UTF_8);
        return text.startsWith(PERMISSIVE_POLICY_LINE) ? text.substring(PERMISSIVE_POLICY_LINE.length()) : text;
    }

    @Test
    void everyRunStartsByPrintingTheAttachPolicy() {
        assertThat(bpfwasm("run", guest("guest_exit"))).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(PERMISSIVE_POLICY_LINE);
    }

    static String guest(String name) {
        return NativeBuild.testGuest(name).toString();
    }

    @Test
    void theGuestsExitCodeAndOutputPassThrough() {
        String module = guest("guest_exit");
        assertThat(bpfwasm("run", module, "--", "a", "--not-an-option")).isEqualTo(3);
        assertThat(out()).isEqualTo("argv[0]=" + module + "\nargv[1]=a\nargv[2]=--not-an-option\nGREETING=(unset)\n"
                + "clock=ok\nrandom=ok\n");
        assertThat(err()).isEqualTo("exiting with 3\n");
    }

    @Test
    void aTrapIsExitCode70WithOneLine() {
        assertThat(bpfwasm("run", guest("guest_trap"))).isEqualTo(ExitCodes.TRAP);
        assertThat(err()).startsWith("bpfwasm: guest_trap: guest trapped: ").contains("unreachable")
                .hasLineCount(1);
    }

    @Test
    void aGuestPastItsCpuGuardIsExitCode70WithOneLine() {
        assertThat(bpfwasm("run", guest("guest_busy"), "--cpu-guard", "100ms", "--", "spin")).isEqualTo(ExitCodes.TRAP);
        assertThat(out()).isEqualTo("spinning\n");
        assertThat(err()).isEqualTo("bpfwasm: guest_busy: stopped by its CPU guard: ran longer than 100ms"
                + " without returning to the host\n");
        assertThat(bpfwasm("run", guest("guest_busy"), "--cpu-guard", "soon", "--", "spin")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("'soon' is not a duration");
    }

    @Test
    void aDurationStopsTheGuestWithExitCode0() {
        long start = System.nanoTime();
        // 2 s: the guest must get to print before it is stopped, even when a loaded machine compiles it slowly
        assertThat(bpfwasm("run", guest("guest_loop"), "--duration", "2s")).isZero();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        assertThat(out()).isEqualTo("looping\n");
        assertThat(err()).isEmpty();
    }

    @Test
    void aFailedBpfLoadIsExitCode69WithTheVerifierLogUnderIt() {
        assertThat(bpfwasm("run", guest("guest_verifier"))).isEqualTo(ExitCodes.BPF_ERROR);
        var lines = err().lines().toList();
        assertThat(lines).contains("guest_verifier: failed to load the BPF object");
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .startsWith("bpfwasm: guest_verifier: wasm_load_bpf_object failed: ")
                .contains("unchecked_lookup")
                .endsWith("(the guest exited with code 1)"));
        assertThat(lines).contains("  invalid access to map value, value_size=8 off=8 size=8");
    }

    @Test
    void verboseShowsLibbpfsLog() {
        assertThat(bpfwasm("run", "--verbose", guest("guest_verifier"))).isEqualTo(ExitCodes.BPF_ERROR);
        assertThat(err()).contains("libbpf: ");
    }

    @Test
    void anExhaustedMemoryLimitIsExplained() {
        assertThat(bpfwasm("run", "--memory-limit", "8Mi", guest("guest_memory"))).isEqualTo(12);
        assertThat(out()).matches("allocated [5-7] MiB before malloc failed\n");
        assertThat(err()).matches("bpfwasm: guest_memory: exited with code 12 \\(guest memory [6-8]\\.\\d MiB of its"
                + " 8\\.0 MiB limit; try a larger --memory-limit\\)\n");
    }

    @Test
    void aMalformedModuleIsExitCode65(@TempDir Path dir) throws Exception {
        Path bad = Files.write(dir.resolve("bad.wasm"), "definitely not wasm".getBytes());
        assertThat(bpfwasm("run", bad.toString())).isEqualTo(ExitCodes.BAD_MODULE);
        assertThat(err()).startsWith("bpfwasm: " + bad + ": not a valid WebAssembly module: ").hasLineCount(1);
    }

    @Test
    void aMissingFileIsExitCode66() {
        assertThat(bpfwasm("run", "/nonexistent/x.wasm")).isEqualTo(ExitCodes.NO_INPUT);
        assertThat(err()).isEqualTo("bpfwasm: /nonexistent/x.wasm: no such file\n");
    }

    @Test
    void usageErrorsAreExitCode64() {
        assertThat(bpfwasm("run", guest("guest_exit"), "--duration", "soon")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("'soon' is not a duration");
        err.reset();
        assertThat(bpfwasm("run", "--memory-limit", "1Ki", guest("guest_exit"))).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--memory-limit must be at least 64Ki");
        err.reset();
        assertThat(bpfwasm("run")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("Missing required parameter: '<module.wasm>'");
        err.reset();
        assertThat(bpfwasm()).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("Missing required subcommand");
    }

    @Test
    void theExecsnoopExampleRunsForADuration() throws Exception {
        var running = new java.util.concurrent.atomic.AtomicBoolean(true);
        var exec = Thread.ofPlatform().start(() -> {
            try {
                while (running.get()) {
                    Thread.sleep(100);
                    new ProcessBuilder("/bin/true").start().waitFor();
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try {
            assertThat(bpfwasm("run", NativeBuild.example("execsnoop").toString(), "--duration", "5s")).isZero();
        } finally {
            running.set(false);
            exec.join();
        }
        assertThat(out()).startsWith("execsnoop: tracing exec() calls\n").contains(" comm=true filename=/bin/true\n");
    }
}
