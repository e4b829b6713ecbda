package io.bpfwasm.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Drives the getpid tracepoint of the test BPF programs: a child process (native/build/host/bpf_getpid_loop) that
 * issues a given number of getpid() calls once told to, so its pid can be registered with the program first.
 */
final class GetpidLoad implements AutoCloseable {
    private final Process process;

    GetpidLoad() throws IOException {
        process = new ProcessBuilder(NativeBuild.path("host/bpf_getpid_loop").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    int pid() {
        return (int) process.pid();
    }

    /** Starts the calls; {@link #awaitDone()} waits for them. */
    void start(long calls) throws IOException {
        OutputStream stdin = process.getOutputStream();
        stdin.write((calls + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.close();
    }

    void awaitDone() throws InterruptedException {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("getpid loop finished").isTrue();
        assertThat(process.exitValue()).isZero();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
