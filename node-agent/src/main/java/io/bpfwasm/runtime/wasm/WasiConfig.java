package io.bpfwasm.runtime.wasm;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The WASI preview1 environment of a guest: argv (argv[0] is the program name), environment variables and where its
 * stdout and stderr go. Both streams are reported to the guest as character devices, so wasi-libc line-buffers
 * stdout and a long-running guest's lines arrive as they are printed. Stdin is empty; no directories are mapped.
 */
public record WasiConfig(List<String> args, Map<String, String> env, OutputStream stdout, OutputStream stderr) {
    public WasiConfig {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }
}
