package io.bpfwasm.cli;

import io.bpfwasm.agent.source.Digests;
import io.bpfwasm.agent.source.ModuleArtifact;
import io.bpfwasm.agent.source.OciRegistries;
import io.bpfwasm.agent.source.SourceException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import land.oras.Annotations;
import land.oras.ArtifactType;
import land.oras.Config;
import land.oras.ContainerRef;
import land.oras.Layer;
import land.oras.LocalPath;
import land.oras.Manifest;
import land.oras.exception.OrasException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfwasm push <module.wasm> <oci-ref>}: publishes a module as an OCI artifact and prints its digest. */
@Command(name = "push", mixinStandardHelpOptions = true,
        exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeOnExecutionException = ExitCodes.INTERNAL,
        description = "Publishes a module to an OCI registry (artifact type " + ModuleArtifact.ARTIFACT_TYPE
                + ", one layer of " + ModuleArtifact.LAYER_MEDIA_TYPE + ") and prints its digest, the sha256 of"
                + " the .wasm file, for the BpfWasmProgram's module.digest.",
        footer = {"", "Exit codes: 0 pushed; 64 usage; 65 not a WebAssembly module; 66 unreadable file;"
                + " 74 the registry refused or could not be reached."})
final class PushCommand implements Callable<Integer> {
    /** sysexits EX_IOERR: the registry failed. */
    static final int REGISTRY_ERROR = 74;
    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};

    private final PrintStream out;
    private final PrintStream err;

    @Parameters(index = "0", paramLabel = "<module.wasm>", description = "The module to publish.")
    Path module;

    @Parameters(index = "1", paramLabel = "<oci-ref>", description = "Where to, e.g. registry.example.com/probes/execsnoop:1.0")
    String reference;

    @Option(names = "--insecure", description = "Speak plain HTTP to the registry.")
    boolean insecure;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "Trust only this CA for the registry's certificate.")
    Path caFile;

    PushCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        quietSdkLogging();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(module);
        } catch (NoSuchFileException e) {
            return error(ExitCodes.NO_INPUT, module + ": no such file");
        } catch (IOException e) {
            return error(ExitCodes.NO_INPUT, module + ": cannot read: " + e.getMessage());
        }
        if (bytes.length < 8 || !java.util.Arrays.equals(bytes, 0, 4, WASM_MAGIC, 0, 4)) {
            return error(ExitCodes.BAD_MODULE, module + ": not a WebAssembly module (no \\0asm header)");
        }
        String digest = Digests.sha256(bytes);
        ContainerRef ref;
        try {
            ref = OciRegistries.parse(reference);
        } catch (SourceException e) {
            return error(ExitCodes.USAGE, e.getMessage());
        }
        try (var registries = new OciRegistries(insecure ? Set.of(ref.getRegistry()) : Set.of(), caFile)) {
            Manifest manifest = registries.registryFor(ref).pushArtifact(ref,
                    ArtifactType.from(ModuleArtifact.ARTIFACT_TYPE), Annotations.empty(), Config.empty(),
                    LocalPath.of(module, ModuleArtifact.LAYER_MEDIA_TYPE));
            String pushed = manifest.getLayers().stream().map(Layer::getDigest).findFirst().orElse(null);
            if (!digest.equals(pushed)) {
                return error(REGISTRY_ERROR, reference + ": the registry stored layer " + pushed
                        + " but the module's sha256 is " + digest);
            }
        } catch (OrasException e) {
            return error(REGISTRY_ERROR, reference + ": push failed: " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
        }
        out.println(digest);
        return ExitCodes.OK;
    }

    // The ORAS SDK logs a stack trace at ERROR for every failed request; this command prints one line itself.
    private static void quietSdkLogging() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger("land.oras").setLevel(ch.qos.logback.classic.Level.OFF);
        }
    }

    private int error(int code, String message) {
        err.println("bpfwasm push: " + message);
        return code;
    }
}
