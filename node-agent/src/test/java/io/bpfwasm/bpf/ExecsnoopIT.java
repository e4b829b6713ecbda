package io.bpfwasm.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Loads the execsnoop example into the kernel and sees the exec of a process this test starts. */
class ExecsnoopIT {
    private static final int COMM_OFFSET = 12;
    private static final int FILENAME_OFFSET = 28;

    @Test
    void reportsTheExecOfASpawnedProcess() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (BpfObject object = BpfObject.load(NativeBuild.bytes("execsnoop.bpf.o"), "execsnoop", log::add)) {
            assertThat(log).as("libbpf log lines").isNotEmpty();
            BpfProgram program = object.program("handle_exec");
            assertThat(program.sectionName()).isEqualTo("tracepoint/sched/sched_process_exec");
            assertThat(program.type()).isEqualTo(ProgramType.TRACEPOINT);
            assertThat(program.id()).isPositive();
            BpfMap events = object.map("events");
            assertThat(events.type()).isEqualTo(MapType.RINGBUF);
            assertThat(events.maxEntries()).isEqualTo(256 * 1024);
            assertThat(events.id()).isPositive();

            BpfLink link = program.attach(null);
            assertThat(link.id()).isPositive();
            assertThat(link.program()).isSameAs(program);
            assertThat(object.links()).containsExactly(link);
            EventBuffer buffer = object.openBuffer(events);
            assertThat(object.openBuffer(events)).isSameAs(buffer);

            Process process = new ProcessBuilder("/bin/true").start();
            long pid = process.pid();
            process.waitFor();

            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + 5_000_000_000L;
            boolean found = false;
            while (!found && System.nanoTime() < deadline) {
                int polled = buffer.poll(200, sample -> {
                    int eventPid = sample.getInt(0);
                    String comm = string(sample, COMM_OFFSET, 16);
                    seen.add(eventPid + ":" + comm);
                    // The JDK starts processes through jspawnhelper, which execs again under the same pid.
                    if (eventPid == pid && string(sample, FILENAME_OFFSET, 128).equals("/bin/true")) {
                        assertThat(comm).isEqualTo("true");
                        return -1; // found: stop the poll
                    }
                    return 0;
                });
                found = polled == -1;
                assertThat(polled).isGreaterThanOrEqualTo(-1);
            }
            assertThat(found).as("exec event for pid %d among %s", pid, seen).isTrue();
        }
    }

    private static String string(Sample sample, int offset, int max) {
        byte[] bytes = new byte[max];
        sample.copyTo(offset, bytes, 0, max);
        int end = 0;
        while (end < max && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
