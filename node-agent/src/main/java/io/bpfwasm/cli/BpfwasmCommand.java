package io.bpfwasm.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bpfwasm} command line; a subcommand is required (picocli reports a usage error without one). */
@Command(name = "bpfwasm", mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeOnExecutionException = ExitCodes.INTERNAL, version = "bpfwasm 0.1.0",
        description = "Runs eBPF programs whose user-space half is a WebAssembly module.")
public final class BpfwasmCommand {

    public static void main(String[] args) {
        System.exit(commandLine(System.out, System.err).execute(args));
    }

    /** The command line writing to the given streams (tests run it in-process). */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        var cl = new CommandLine(new BpfwasmCommand());
        cl.addSubcommand("run", new RunCommand(out, err));
        cl.addSubcommand("agent", new AgentCommand(err));
        cl.addSubcommand("push", new PushCommand(out, err));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }
}
