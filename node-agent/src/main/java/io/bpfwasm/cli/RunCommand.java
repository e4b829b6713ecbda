package io.bpfwasm.cli;

import io.bpfwasm.runtime.ProgramHost;
import io.bpfwasm.runtime.ProgramOutcome;
import io.bpfwasm.runtime.ProgramResult;
import io.bpfwasm.runtime.ProgramSpec;
import io.bpfwasm.runtime.wasibpf.AttachPolicy;
import io.bpfwasm.runtime.wasibpf.BpfFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfwasm run <module.wasm> [--duration D] [--memory-limit M] [--allow-type T,..] [--allow-target P,..]
 * [--verbose] [-- guest args...]}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeOnExecutionException = ExitCodes.INTERNAL,
        description = "Runs a WebAssembly module with the wasm_bpf imports until it exits, the duration passes or it"
                + " is interrupted (Ctrl-C / SIGTERM); every eBPF object it loaded is detached and unloaded.",
        footer = {"", "Exit codes: the guest's own exit code; 64 usage, 65 invalid module, 66 unreadable file,"
                + " 69 guest failed after an eBPF error, 70 guest trapped, 71 internal error."})
final class RunCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Parameters(index = "0", paramLabel = "<module.wasm>", description = "The module to run.")
    Path module;

    @Parameters(index = "1..*", paramLabel = "<guest args>", description = "Arguments for the guest (after --).")
    List<String> guestArgs = new ArrayList<>();

    @Option(names = "--duration", paramLabel = "D", converter = UnitConverters.DurationConverter.class,
            description = "Stop the guest after this long (e.g. 10s, 2m); exit code 0 then.")
    Duration duration;

    @Option(names = "--memory-limit", paramLabel = "M", converter = UnitConverters.SizeConverter.class,
            defaultValue = "128Mi", description = "Cap on the guest's memory (e.g. 64Mi, 256M; default ${DEFAULT-VALUE}).")
    long memoryLimit;

    @Option(names = "--cpu-guard", paramLabel = "D", converter = UnitConverters.DurationConverter.class,
            description = "Stop the guest when it runs this long without returning to the host (a runaway loop);"
                    + " e.g. 500ms. Time spent waiting in imports does not count. Default: no limit.")
    Duration cpuGuard;

    @Option(names = "--allow-type", paramLabel = "TYPES", split = ",",
            description = "Program kinds the guest may attach (tracepoint, raw_tracepoint, tp_btf, uprobe, uretprobe,"
                    + " xdp, tc, cgroup_skb, sock_ops, ...; repeatable or comma-separated). Default: every kind.")
    List<String> allowTypes;

    @Option(names = "--allow-target", paramLabel = "PATTERN", split = ",",
            description = "Objects the guest may attach to: interface:<glob>, cgroup:<glob>, binary:<glob>"
                    + " (repeatable or comma-separated). Default: every interface, cgroup and binary.")
    List<String> allowTargets;

    @Option(names = {"-v", "--verbose"}, description = "Show libbpf's log.")
    boolean verbose;

    RunCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        byte[] wasm;
        try {
            wasm = Files.readAllBytes(module);
        } catch (NoSuchFileException e) {
            return error(ExitCodes.NO_INPUT, module + ": no such file");
        } catch (IOException e) {
            return error(ExitCodes.NO_INPUT, module + ": cannot read: " + e.getMessage());
        }
        if (memoryLimit < 65536) {
            return error(ExitCodes.USAGE, "--memory-limit must be at least 64Ki");
        }
        AttachPolicy policy;
        try {
            policy = attachPolicy();
        } catch (IllegalArgumentException e) {
            return error(ExitCodes.USAGE, e.getMessage());
        }
        err.println("bpfwasm: attach policy: " + policy + (policy == AttachPolicy.PERMISSIVE
                ? " (the default for a local root user; narrow it with --allow-type and --allow-target)" : ""));
        String name = programName(module);
        var spec = ProgramSpec.builder(name)
                .wasm(wasm)
                .argv0(module.toString())
                .args(guestArgs)
                .stdout(out)
                .stderr(err)
                .memoryLimitBytes(memoryLimit)
                .attachPolicy(policy)
                .cpuGuard(cpuGuard)
                .bpfLog(verbose ? line -> err.println(line.stripTrailing()) : line -> {})
                .build();
        var host = ProgramHost.start(spec);
        // Ctrl-C / SIGTERM: stop the guest and close its BPF objects before the JVM goes away
        Thread hook = new Thread(host::close, "bpfwasm-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ProgramResult result = awaitResult(host);
            return report(name, result);
        } finally {
            host.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    /** The permissive default (a local root user may attach anything) unless a flag narrows it. */
    private AttachPolicy attachPolicy() {
        if (allowTypes == null && allowTargets == null) {
            return AttachPolicy.PERMISSIVE;
        }
        return AttachPolicy.of(allowTypes == null ? List.of("*") : allowTypes,
                allowTargets == null ? List.of("interface:**", "cgroup:**", "binary:**") : allowTargets);
    }

    private ProgramResult awaitResult(ProgramHost host) throws InterruptedException {
        if (duration == null) {
            return host.await();
        }
        Optional<ProgramResult> done = host.await(duration);
        if (done.isPresent()) {
            return done.get();
        }
        host.stop();
        return host.await();
    }

    private int report(String name, ProgramResult result) {
        BpfFailure bpf = result.lastBpfFailure();
        String memoryNote = result.memoryNearLimit()
                ? String.format(" (guest memory %.1f MiB of its %.1f MiB limit; try a larger --memory-limit)",
                        result.memoryBytes() / 1048576.0, result.memoryLimitBytes() / 1048576.0)
                : "";
        return switch (result.outcome()) {
            case ProgramOutcome.Exited e when e.code() != 0 && bpf != null -> {
                error(ExitCodes.BPF_ERROR, name + ": " + bpf.operation() + " failed: " + bpf.message()
                        + " (the guest exited with code " + e.code() + ")");
                bpf.verifierLog().forEach(line -> err.println("  " + line.stripTrailing()));
                yield ExitCodes.BPF_ERROR;
            }
            case ProgramOutcome.Exited e -> {
                if (e.code() != 0 && !memoryNote.isEmpty()) {
                    err.println("bpfwasm: " + name + ": exited with code " + e.code() + memoryNote);
                }
                yield e.code();
            }
            case ProgramOutcome.Trapped t -> error(ExitCodes.TRAP, name + ": guest trapped: " + t.message() + memoryNote);
            case ProgramOutcome.CpuGuardExceeded c -> error(ExitCodes.TRAP, name + ": " + c.describe());
            case ProgramOutcome.Stopped s -> ExitCodes.OK;
            case ProgramOutcome.FailedToStart f -> error(ExitCodes.BAD_MODULE, module + ": " + f.message());
            case ProgramOutcome.HostError h -> error(ExitCodes.INTERNAL, name + ": " + h.message());
        };
    }

    private int error(int code, String message) {
        err.println("bpfwasm: " + message);
        return code;
    }

    private static String programName(Path module) {
        String file = module.getFileName().toString();
        return file.endsWith(".wasm") ? file.substring(0, file.length() - 5) : file;
    }
}
