package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bpfwasm.bpf.KernelObjects;
import io.bpfwasm.runtime.wasibpf.BpfBackend.KernelIds;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Checks through the kernel's id iteration that a program's BPF objects are gone. */
final class KernelLeaks {
    private KernelLeaks() {}

    /** Asserts the ids seen while the program ran are no longer in the kernel. */
    static void assertGone(List<KernelIds> whileRunning) {
        assertThat(whileRunning).as("ids recorded while the program ran").isNotEmpty();
        var programs = whileRunning.stream().flatMap(i -> i.programIds().stream()).toList();
        var maps = whileRunning.stream().flatMap(i -> i.mapIds().stream()).toList();
        var links = whileRunning.stream().flatMap(i -> i.linkIds().stream()).toList();
        assertThat(programs).isNotEmpty();
        assertThat(maps).isNotEmpty();
        // the kernel frees programs and maps asynchronously (RCU, work queues) after their last fd closes
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            // (links may be empty: tc filters on a clsact qdisc, the path without TCX, have no kernel link)
            assertThat(KernelObjects.linkIds()).as("link ids still in the kernel").filteredOn(links::contains).isEmpty();
            assertThat(KernelObjects.programIds()).as("program ids").doesNotContainAnyElementsOf(programs);
            assertThat(KernelObjects.mapIds()).as("map ids").doesNotContainAnyElementsOf(maps);
        });
    }

    /**
     * Samples the host's ids on another thread until it ends and returns the last non-empty sample that has links
     * (for guests that end right after attaching).
     */
    static AtomicReference<List<KernelIds>> sampleUntilEnd(ProgramHost host) {
        var ids = new AtomicReference<List<KernelIds>>(List.of());
        Thread.ofPlatform().daemon().start(() -> {
            while (host.isRunning()) {
                var now = host.kernelIds();
                if (!now.isEmpty() && !now.getFirst().linkIds().isEmpty()) {
                    ids.set(now);
                }
                Thread.onSpinWait();
            }
        });
        return ids;
    }

    static void assertAllAlive(List<KernelIds> ids) {
        for (KernelIds i : ids) {
            assertThat(KernelObjects.programIds()).containsAll(i.programIds());
            assertThat(KernelObjects.mapIds()).containsAll(i.mapIds());
            assertThat(KernelObjects.linkIds()).containsAll(i.linkIds());
        }
    }
}
