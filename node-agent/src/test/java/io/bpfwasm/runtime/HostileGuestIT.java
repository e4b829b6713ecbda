package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.runtime.wasibpf.BpfBackend.KernelIds;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * guest_hostile calls every wasm_bpf import with hostile arguments against the real kernel: each answer must be the
 * documented negative WASI errno, the guest keeps running, the JVM survives, and nothing stays in the kernel.
 * WASI errno: EBADF 8, EBUSY 10, EEXIST 20, EFAULT 21, EINVAL 28, ENAMETOOLONG 37, ENOENT 44.
 */
class HostileGuestIT {

    private static Map<String, String> runToEnd(String... args) throws Exception {
        var run = new GuestRun();
        try (var host = ProgramHost.start(run.spec("guest_hostile", args).build())) {
            var result = host.await(Duration.ofSeconds(60)).orElseThrow();
            assertThat(result.outcome()).as(run.stdout + " " + run.stderr()).isEqualTo(new ProgramOutcome.Exited(0));
        }
        assertThat(run.stdout).last().isEqualTo("done");
        var values = new LinkedHashMap<String, String>();
        for (String line : run.stdout) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("sample ")) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    @Test
    void loadRejectsBadRangesAndBadElf() throws Exception {
        assertThat(runToEnd("load")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "beyond_memory", "0", "negative_length", "0", "crossing_end", "0", "garbage", "0",
                "truncated", "0", "empty", "0", "valid", "1"));
    }

    @Test
    void unknownHandlesAreEbadf() throws Exception {
        assertThat(runToEnd("handles")).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("map_fd", "1"), Map.entry("map_fd_again_same", "1"),
                Map.entry("attach_unknown_obj", "-8"), Map.entry("attach_obj_plus_2_32", "-8"),
                Map.entry("map_fd_unknown_obj", "-8"), Map.entry("operate_unknown_fd", "-8"),
                Map.entry("operate_negative_fd", "-8"), Map.entry("poll_unknown_obj", "-8"),
                Map.entry("close_unknown", "-8"), Map.entry("close_zero", "-8"), Map.entry("close", "0"),
                Map.entry("close_again", "-8"), Map.entry("operate_after_close", "-8"),
                Map.entry("map_fd_after_close", "-8")));
    }

    @Test
    void unknownNamesAndHostileStrings() throws Exception {
        assertThat(runToEnd("names")).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("attach_unknown_program", "-44"), Map.entry("attach_null_name", "-28"),
                Map.entry("attach_name_beyond_memory", "-21"), Map.entry("attach_name_unterminated", "-21"),
                Map.entry("attach_name_too_long", "-37"), Map.entry("attach_target_beyond_memory", "-21"),
                Map.entry("map_fd_unknown_map", "-44"), Map.entry("map_fd_name_beyond_memory", "-21"),
                Map.entry("map_fd_name_unterminated", "-21"), Map.entry("attach_empty_target", "0"),
                Map.entry("close", "0")));
    }

    @Test
    void mapOperationsUseTheMapsSizesAndCheckPointers() throws Exception {
        assertThat(runToEnd("map")).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("lookup_missing", "-44"), Map.entry("update", "0"), Map.entry("lookup", "0"),
                Map.entry("lookup_value", "42"), Map.entry("update_noexist", "-20"),
                Map.entry("update_bad_flags", "-28"), Map.entry("lookup_key_beyond_memory", "-21"),
                Map.entry("lookup_value_crossing_end", "-21"), Map.entry("update_value_crossing_end", "-21"),
                Map.entry("next_first", "0"), Map.entry("next_first_key", "7"), Map.entry("next_last", "-44"),
                Map.entry("next_into_beyond_memory", "-21"), Map.entry("unknown_cmd", "-28"),
                Map.entry("delete", "0"), Map.entry("delete_again", "-44"),
                Map.entry("ringbuf_lookup_is_error", "1"), Map.entry("close", "0")));
    }

    @Test
    void pollRejectsBadArguments() throws Exception {
        assertThat(runToEnd("poll")).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("poll_empty", "0"), Map.entry("poll_timeout_50ms", "0"),
                Map.entry("poll_buf_beyond_memory", "-21"), Map.entry("poll_negative_size", "-21"),
                Map.entry("poll_fn_out_of_table", "-28"), Map.entry("poll_fn_wrong_signature", "-28"),
                Map.entry("poll_hash_map", "-28"), Map.entry("poll_other_objects_map", "-8"),
                Map.entry("poll_unknown_fd", "-8"), Map.entry("close_other", "0"), Map.entry("close", "0")));
    }

    @Test
    void everySampleIsDeliveredTruncatedAndANegativeCallbackStopsThePoll() throws Exception {
        var run = new GuestRun();
        int want = 20;
        try (var host = ProgramHost.start(run.spec("guest_hostile", "deliver", String.valueOf(want)).build())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> run.stdout.contains("ready"));
            // any exec on the machine produces a sample; spawn until the guest has had its fill
            for (int i = 0; i < 500 && host.isRunning(); i++) {
                new ProcessBuilder("/bin/true").start().waitFor();
            }
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.outcome()).isEqualTo(new ProgramOutcome.Exited(0));
            var samples = run.stdout.stream().filter(l -> l.startsWith("sample ")).toList();
            assertThat(samples).hasSize(want).allMatch(l -> l.startsWith("sample size=4 pid="));
            assertThat(run.stdout).contains("nested_poll=-10", "close_in_callback=-10", "stopped=-42", "close=0");
        }
    }

    @Test
    void aGuestBlockedInAnEndlessPollStopsPromptlyAndItsObjectsAreClosed() throws Exception {
        var run = new GuestRun();
        List<KernelIds> ids;
        try (var host = ProgramHost.start(run.spec("guest_hostile", "block").build())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> run.stdout.contains("ready"));
            Thread.sleep(300); // let it block in the poll
            ids = host.kernelIds();
            KernelLeaks.assertAllAlive(ids);
            long start = System.nanoTime();
            host.stop();
            var result = host.await(Duration.ofSeconds(10)).orElseThrow();
            var took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("HostileGuestIT: blocked poll stopped, objects closed: %d ms%n", took.toMillis());
            // typically well under 100 ms; detaching waits for RCU grace periods, which a saturated machine stretches
            assertThat(took).isLessThan(Duration.ofSeconds(3));
            assertThat(result.outcome()).isEqualTo(new ProgramOutcome.Stopped());
        }
        KernelLeaks.assertGone(ids);
    }

    @Test
    void aTrapClosesEverythingTheGuestHeld() throws Exception {
        var run = new GuestRun();
        List<KernelIds> ids;
        try (var host = ProgramHost.start(run.spec("guest_hostile", "trap").build())) {
            var sampled = KernelLeaks.sampleUntilEnd(host);
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.outcome()).isInstanceOf(ProgramOutcome.Trapped.class);
            ids = sampled.get();
        }
        assertThat(run.stdout).contains("attach=0");
        KernelLeaks.assertGone(ids);
    }

    @Test
    void aNormalExitWithoutCloseClosesEverythingTheGuestHeld() throws Exception {
        var run = new GuestRun();
        List<KernelIds> ids;
        try (var host = ProgramHost.start(run.spec("guest_hostile", "leave").build())) {
            var sampled = KernelLeaks.sampleUntilEnd(host);
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            ids = sampled.get();
            assertThat(result.outcome()).isEqualTo(new ProgramOutcome.Exited(0));
        }
        assertThat(run.stdout).contains("attach=0", "map_fd=1", "done");
        KernelLeaks.assertGone(ids);
    }

    @Test
    void aVerifierRejectionReachesTheResultWithItsLog() throws Exception {
        var run = new GuestRun();
        try (var host = ProgramHost.start(run.spec("guest_verifier").build())) {
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.outcome()).isEqualTo(new ProgramOutcome.Exited(1));
            assertThat(result.lastBpfFailure()).isNotNull().satisfies(f -> {
                assertThat(f.isLoadFailure()).isTrue();
                assertThat(f.message()).contains("unchecked_lookup");
                assertThat(f.verifierLog()).isNotEmpty().anyMatch(l -> l.contains("invalid access to map value"));
            });
        }
        assertThat(run.stderr()).contains("failed to load the BPF object");
    }

    @Test
    void anUnsupportedProgramTypeIsAClearLoadFailure() throws Exception {
        var run = new GuestRun();
        try (var host = ProgramHost.start(run.spec("guest_fentry").build())) {
            var result = host.await(Duration.ofSeconds(30)).orElseThrow();
            assertThat(result.outcome()).isEqualTo(new ProgramOutcome.Exited(1));
            assertThat(result.lastBpfFailure()).isNotNull().satisfies(f -> {
                assertThat(f.isLoadFailure()).isTrue();
                assertThat(f.message()).contains("on_nanosleep");
            });
        }
    }
}
