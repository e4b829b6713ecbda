package io.bpfwasm.runtime;

import io.bpfwasm.runtime.wasibpf.AttachPolicy;
import io.bpfwasm.runtime.wasibpf.BpfBackend;
import io.bpfwasm.runtime.wasibpf.KernelBpf;
import io.bpfwasm.runtime.wasm.ChicoryEngine;
import io.bpfwasm.runtime.wasm.GuestModule;
import io.bpfwasm.runtime.wasm.WasmEngine;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What to run and how. Build with {@link #builder(String)}.
 *
 * @param name the program's name: BPF objects get it, the guest thread and messages show it
 * @param wasm the module's bytes (compiled when the program starts), or null when {@code module} is given
 * @param module an already compiled module (compile once, run many), or null when {@code wasm} is given
 * @param argv0 the guest's argv[0] (conventionally the module's path)
 * @param args the guest's argv[1..]
 * @param memoryLimitBytes cap on the guest's linear memory
 * @param bpfLog receives libbpf's log lines and explanations of failed wasm_bpf calls
 * @param attachPolicy which attachments the guest may make (checked on every attach)
 * @param cpuGuard the longest the guest may run without returning to the host, or null for no limit
 */
public record ProgramSpec(String name, byte[] wasm, GuestModule module, String argv0, List<String> args,
                          Map<String, String> env, OutputStream stdout, OutputStream stderr,
                          Consumer<String> bpfLog, long memoryLimitBytes, WasmEngine engine, BpfBackend bpf,
                          AttachPolicy attachPolicy, Duration cpuGuard) {

    public static final long DEFAULT_MEMORY_LIMIT = 128L << 20;

    public ProgramSpec {
        Objects.requireNonNull(name, "name");
        if ((wasm == null) == (module == null)) {
            throw new IllegalArgumentException("give either the module's bytes or a compiled module");
        }
        Objects.requireNonNull(attachPolicy, "attachPolicy");
        if (cpuGuard != null && (cpuGuard.isNegative() || cpuGuard.isZero())) {
            throw new IllegalArgumentException("the CPU guard must be positive, got " + cpuGuard);
        }
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private byte[] wasm;
        private GuestModule module;
        private String argv0;
        private List<String> args = List.of();
        private final Map<String, String> env = new LinkedHashMap<>();
        private OutputStream stdout = OutputStream.nullOutputStream();
        private OutputStream stderr = OutputStream.nullOutputStream();
        private Consumer<String> bpfLog = line -> {};
        private long memoryLimitBytes = DEFAULT_MEMORY_LIMIT;
        private WasmEngine engine = new ChicoryEngine();
        private BpfBackend bpf = new KernelBpf();
        private AttachPolicy attachPolicy = AttachPolicy.PERMISSIVE;
        private Duration cpuGuard;

        private Builder(String name) {
            this.name = name;
            this.argv0 = name;
        }

        public Builder wasm(byte[] wasm) {
            this.wasm = wasm;
            this.module = null;
            return this;
        }

        public Builder module(GuestModule module) {
            this.module = module;
            this.wasm = null;
            return this;
        }

        public Builder argv0(String argv0) {
            this.argv0 = argv0;
            return this;
        }

        public Builder args(List<String> args) {
            this.args = args;
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder stdout(OutputStream stdout) {
            this.stdout = stdout;
            return this;
        }

        public Builder stderr(OutputStream stderr) {
            this.stderr = stderr;
            return this;
        }

        public Builder bpfLog(Consumer<String> bpfLog) {
            this.bpfLog = bpfLog;
            return this;
        }

        public Builder memoryLimitBytes(long memoryLimitBytes) {
            this.memoryLimitBytes = memoryLimitBytes;
            return this;
        }

        public Builder engine(WasmEngine engine) {
            this.engine = engine;
            return this;
        }

        public Builder bpf(BpfBackend bpf) {
            this.bpf = bpf;
            return this;
        }

        public Builder attachPolicy(AttachPolicy attachPolicy) {
            this.attachPolicy = attachPolicy;
            return this;
        }

        /** Stop the guest when it runs this long without returning to the host; null (the default) for never. */
        public Builder cpuGuard(Duration cpuGuard) {
            this.cpuGuard = cpuGuard;
            return this;
        }

        public ProgramSpec build() {
            return new ProgramSpec(name, wasm, module, argv0, args, env, stdout, stderr, bpfLog, memoryLimitBytes,
                    engine, bpf, attachPolicy, cpuGuard);
        }
    }
}
