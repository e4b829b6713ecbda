package io.bpfwasm.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** After close, none of an object's programs, maps or links remain in the kernel (compared by id). */
class LeakIT {
    @Test
    void closeRemovesEverythingTheObjectCreated() throws Exception {
        Set<Integer> programs = new HashSet<>();
        Set<Integer> maps = new HashSet<>();
        Set<Integer> links = new HashSet<>();
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("execsnoop.bpf.o"), "leak", line -> {})) {
            for (BpfProgram program : object.programs()) {
                programs.add(program.id());
                links.add(program.attach(null).id());
            }
            object.maps().forEach(m -> maps.add(m.id()));
            object.openBuffer(object.map("events")).poll(0, sample -> 0);

            assertThat(programs).isNotEmpty().doesNotContain(-1);
            assertThat(maps).hasSizeGreaterThanOrEqualTo(2).doesNotContain(-1); // events + .rodata
            assertThat(links).isNotEmpty().doesNotContain(-1);
            assertThat(KernelObjects.programIds()).containsAll(programs);
            assertThat(KernelObjects.mapIds()).containsAll(maps);
            assertThat(KernelObjects.linkIds()).containsAll(links);
        }
        // The kernel frees objects asynchronously (RCU) after the last fd is closed.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(KernelObjects.linkIds()).doesNotContainAnyElementsOf(links);
            assertThat(KernelObjects.programIds()).doesNotContainAnyElementsOf(programs);
            assertThat(KernelObjects.mapIds()).doesNotContainAnyElementsOf(maps);
        });
    }
}
