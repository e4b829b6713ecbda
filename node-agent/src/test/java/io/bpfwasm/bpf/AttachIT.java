package io.bpfwasm.bpf;

import static io.bpfwasm.bpf.NativeBuild.readU64;
import static io.bpfwasm.bpf.NativeBuild.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The attach paths: by section name (raw_tp, tp_btf) and to an explicit raw tracepoint target. */
class AttachIT {
    @Test
    void attachesBySectionAndToExplicitTargets() throws Exception {
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_attach.bpf.o"), "attach", line -> {})) {
            BpfProgram target = object.program("on_raw_target");
            assertThat(target.type()).isEqualTo(ProgramType.RAW_TRACEPOINT);
            assertThatThrownBy(() -> target.attach(null))
                    .hasMessageStartingWith("program on_raw_target (raw_tp): attach failed: ")
                    .asInstanceOf(type(BpfException.class)).extracting(BpfException::errno).isNotEqualTo(0);
            assertThatThrownBy(() -> target.attach("no_such_raw_tracepoint"))
                    .hasMessageStartingWith("program on_raw_target (raw_tp): attach to \"no_such_raw_tracepoint\" "
                            + "failed: ");
            target.attach("sys_enter");
            object.program("on_raw_sys_exit").attach("");
            BpfProgram btf = object.program("on_exec_btf");
            assertThat(btf.type()).isEqualTo(ProgramType.TRACING);
            assertThat(btf.typeName()).isEqualTo("tracing");
            assertThatThrownBy(() -> btf.attach("sched_process_exec"))
                    .hasMessage("program on_exec_btf (tp_btf/sched_process_exec): attaching a tracing program to an "
                            + "explicit target (\"sched_process_exec\") is not supported")
                    .asInstanceOf(type(BpfException.class)).extracting(BpfException::errno).isEqualTo(22);
            btf.attach(null);
            assertThat(object.links()).hasSize(3);

            new ProcessBuilder("/bin/true").start().waitFor();

            BpfMap hits = object.map("hits");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                for (int slot = 0; slot < 3; slot++) {
                    byte[] value = new byte[8];
                    assertThat(hits.lookup(u32(slot), value)).isZero();
                    assertThat(readU64(value)).as("hits of slot %d", slot).isPositive();
                }
            });
        }
    }
}
