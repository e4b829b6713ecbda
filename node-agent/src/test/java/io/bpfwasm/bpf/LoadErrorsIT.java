package io.bpfwasm.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every way loading or attaching can fail answers with a clear exception; the JVM survives all of them. */
class LoadErrorsIT {
    private static final int LIBBPF_FORMAT_INVALID = 4001;

    @Test
    void garbageIsNotAnObject() {
        byte[] garbage = "this is not an ELF file, just some text".getBytes();
        assertThatThrownBy(() -> BpfObject.load(garbage, "garbage", line -> {}))
                .isExactlyInstanceOf(BpfException.class)
                .hasMessageStartingWith("object garbage: cannot open the ELF object")
                .asInstanceOf(type(BpfException.class))
                .extracting(BpfException::errno).isEqualTo(LIBBPF_FORMAT_INVALID);
    }

    @Test
    void emptyAndTruncatedObjectsAreRejected() {
        byte[] elf = NativeBuild.bytes("execsnoop.bpf.o");
        for (int length : new int[] {0, 4, 64, elf.length / 3, elf.length / 2, elf.length - 100}) {
            byte[] truncated = Arrays.copyOf(elf, length);
            assertThatThrownBy(() -> BpfObject.load(truncated, "truncated", line -> {}))
                    .as("first %d bytes", length)
                    .isInstanceOf(BpfException.class)
                    .hasMessageContaining("object truncated")
                    .asInstanceOf(type(BpfException.class))
                    .extracting(BpfException::errno).isNotEqualTo(0);
        }
        // still alive and working
        assertThat(KernelObjects.programIds()).isNotNull();
    }

    @Test
    void verifierRejectionCarriesTheLog() {
        List<String> log = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> BpfObject.load(NativeBuild.bytes("bpf_rejected.bpf.o"), "rejected", log::add))
                .isExactlyInstanceOf(VerifierException.class)
                .hasMessageStartingWith("program read_out_of_bounds (tracepoint/syscalls/sys_enter_getppid): "
                        + "rejected by the verifier")
                .hasMessageContaining("invalid access to map value")
                .asInstanceOf(type(VerifierException.class))
                .satisfies(e -> {
                    assertThat(e.errno()).isEqualTo(13); // EACCES
                    assertThat(e.verifierLog()).isNotEmpty()
                            .anyMatch(line -> line.contains("invalid access to map value"));
                });
        assertThat(log).anyMatch(line -> line.contains("BEGIN PROG LOAD LOG"));
    }

    @Test
    void fentryIsRefusedByThisKernelWithAClearReason() {
        assertThatThrownBy(() -> BpfObject.load(NativeBuild.bytes("bpf_fentry.bpf.o"), "fentry", line -> {}))
                .isExactlyInstanceOf(BpfException.class)
                .hasMessage("program on_unlinkat (fentry/do_unlinkat): the kernel refused to load this program type "
                        + "(tracing): Operation not permitted")
                .asInstanceOf(type(BpfException.class))
                .extracting(BpfException::errno).isEqualTo(1);
    }

    @Test
    void unknownNamesAndTargetsAreClearErrors() throws Exception {
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_maps.bpf.o"), "maps", line -> {})) {
            assertThatThrownBy(() -> object.program("nope"))
                    .hasMessage("program nope: no such program in object maps")
                    .asInstanceOf(type(BpfException.class)).extracting(BpfException::errno).isEqualTo(2);
            assertThatThrownBy(() -> object.map("nope"))
                    .hasMessage("map nope: no such map in object maps")
                    .asInstanceOf(type(BpfException.class)).extracting(BpfException::errno).isEqualTo(2);

            BpfProgram program = object.program("touch_maps");
            assertThatThrownBy(() -> program.attach("not-a-tracepoint"))
                    .hasMessageContaining("program touch_maps (tracepoint/syscalls/sys_enter_getppid)")
                    .asInstanceOf(type(BpfException.class)).extracting(BpfException::errno).isEqualTo(22);
            assertThatThrownBy(() -> program.attach("syscalls/sys_enter_no_such_syscall"))
                    .hasMessageStartingWith("program touch_maps (tracepoint/syscalls/sys_enter_getppid): attach to "
                            + "\"syscalls/sys_enter_no_such_syscall\" failed")
                    .asInstanceOf(type(BpfException.class)).extracting(BpfException::errno).isEqualTo(2);
            assertThatThrownBy(() -> object.openBuffer(object.map("counts")))
                    .hasMessageStartingWith("map counts: is a HASH map")
                    .asInstanceOf(type(BpfException.class)).extracting(BpfException::errno).isEqualTo(22);

            BpfLink link = program.attach("syscalls:sys_enter_getppid");
            assertThat(object.links()).containsExactly(link);
            link.close();
            link.close();
            assertThat(object.links()).isEmpty();
        }
    }

    @Test
    void closedObjectsRefuseWork() throws Exception {
        BpfObject object = BpfObject.load(NativeBuild.bytes("bpf_maps.bpf.o"), "maps", line -> {});
        BpfMap counts = object.map("counts");
        BpfProgram program = object.program("touch_maps");
        object.close();
        object.close();
        assertThat(counts.lookup(new byte[4], new byte[8])).isEqualTo(-9); // EBADF
        assertThatThrownBy(() -> program.attach(null)).hasMessage("object maps: is closed");
    }
}
