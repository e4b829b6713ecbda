package io.bpfwasm.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects a test guest's output. */
final class GuestRun {
    final List<String> stdout = new CopyOnWriteArrayList<>();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    final List<String> bpfLog = new CopyOnWriteArrayList<>();

    ProgramSpec.Builder spec(String guest, String... args) {
        return ProgramSpec.builder(guest)
                .wasm(NativeBuild.bytes(NativeBuild.testGuest(guest)))
                .argv0(guest + ".wasm")
                .args(List.of(args))
                .stdout(new LineOutputStream(stdout::add))
                .stderr(stderr)
                .bpfLog(bpfLog::add);
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }
}
