package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.runtime.ProgramOutcome.FailedToStart.Cause;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Guests that need no eBPF: exit codes, WASI, traps, stopping, memory caps, malformed modules. */
class ProgramHostTest {
    final GuestRun run = new GuestRun();

    @Test
    void exitCodeArgsEnvAndOutputReachTheHost() throws Exception {
        try (var host = ProgramHost.start(run.spec("guest_exit", "one", "two words").env("GREETING", "hi").build())) {
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.outcome()).isEqualTo(new ProgramOutcome.Exited(3));
            assertThat(result.describe()).isEqualTo("exited with code 3");
            assertThat(result.lastBpfFailure()).isNull();
        }
        assertThat(run.stdout).containsExactly(
                "argv[0]=guest_exit.wasm", "argv[1]=one", "argv[2]=two words", "GREETING=hi", "clock=ok",
                "random=ok");
        assertThat(run.stderr()).isEqualTo("exiting with 3\n");
    }

    @Test
    void aTrapEndsTheProgramWithItsMessage() throws Exception {
        try (var host = ProgramHost.start(run.spec("guest_trap").build())) {
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.outcome()).isInstanceOf(ProgramOutcome.Trapped.class);
            assertThat(result.describe()).startsWith("trapped: ").contains("unreachable");
        }
        assertThat(run.stdout).containsExactly("about to trap");
    }

    @Test
    void anEndlessLoopStopsWithinOneSecondAndItsLineWasNotBuffered() throws Exception {
        try (var host = ProgramHost.start(run.spec("guest_loop").build())) {
            // stdout is line-buffered (fds 1/2 are character devices), so the line arrives while the guest spins
            await().atMost(Duration.ofSeconds(30)).until(() -> run.stdout.contains("looping"));
            assertThat(host.isRunning()).isTrue();
            long start = System.nanoTime();
            host.stop();
            var result = host.await(Duration.ofSeconds(1)).orElseThrow();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(result.outcome()).isEqualTo(new ProgramOutcome.Stopped());
        }
    }

    @Test
    void aGuestCannotGrowPastItsMemoryCap() throws Exception {
        try (var host = ProgramHost.start(run.spec("guest_memory").memoryLimitBytes(16L << 20).build())) {
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.outcome()).isEqualTo(new ProgramOutcome.Exited(12));
            assertThat(result.memoryNearLimit()).isTrue();
            assertThat(result.memoryBytes()).isLessThanOrEqualTo(16L << 20);
            assertThat(result.describe()).matches("exited with code 12 \\(guest memory 1[45]\\.\\d MiB of its 16\\.0 MiB limit\\)");
        }
        assertThat(run.stdout).singleElement().asString().matches("allocated 1[0-5] MiB before malloc failed");
    }

    @Test
    void aCapBelowTheModulesInitialMemoryFailsToStart() throws Exception {
        try (var host = ProgramHost.start(run.spec("guest_exit").memoryLimitBytes(65536).build())) {
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.outcome()).isInstanceOfSatisfying(ProgramOutcome.FailedToStart.class, f -> {
                assertThat(f.cause()).isEqualTo(Cause.CANNOT_INSTANTIATE);
                assertThat(f.message()).contains("more than the limit of 0.1 MiB");
            });
        }
    }

    @Test
    void malformedModulesFailToStartClearly() throws Exception {
        byte[][] modules = {
            "not wasm at all".getBytes(),
            {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x7f}, // valid header, truncated section
            {},
        };
        for (byte[] wasm : modules) {
            try (var host = ProgramHost.start(ProgramSpec.builder("bad").wasm(wasm).build())) {
                var result = host.await(Duration.ofSeconds(30)).orElseThrow();
                assertThat(result.outcome()).isInstanceOfSatisfying(ProgramOutcome.FailedToStart.class, f -> {
                    assertThat(f.cause()).isEqualTo(Cause.INVALID_MODULE);
                    assertThat(f.message()).startsWith("not a valid WebAssembly module: ");
                });
            }
        }
    }

    @Test
    void aModuleWithoutStartOrMemoryCannotBeInstantiated() throws Exception {
        byte[] empty = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}; // a valid, empty module
        try (var host = ProgramHost.start(ProgramSpec.builder("empty").wasm(empty).build())) {
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.describe()).isEqualTo(
                    "failed to start: the module exports no function '_start'"
                            + " (a WASI command module built with --export-table is expected)");
        }
    }

    @Test
    void aCompiledModuleRunsManyTimes() throws Exception {
        var module = new io.bpfwasm.runtime.wasm.ChicoryEngine()
                .compile(NativeBuild.bytes(NativeBuild.testGuest("guest_exit")));
        for (int i = 0; i < 3; i++) {
            try (var host = ProgramHost.start(ProgramSpec.builder("again").module(module).build())) {
                assertThat(host.await(Duration.ofSeconds(30)).orElseThrow().outcome())
                        .isEqualTo(new ProgramOutcome.Exited(3));
            }
        }
    }

    @Test
    void linesAreSplitAndTheLastOneIsKept() throws Exception {
        var lines = new java.util.ArrayList<String>();
        try (var out = new LineOutputStream(lines::add)) {
            out.write("a\r\nb\n\nc".getBytes());
        }
        assertThat(lines).containsExactly("a", "b", "", "c");
    }
}
