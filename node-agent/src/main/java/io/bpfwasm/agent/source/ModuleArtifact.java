package io.bpfwasm.agent.source;

/**
 * How a bpfwasm module is stored in an OCI registry: an OCI 1.1 artifact manifest with {@link #ARTIFACT_TYPE}, the
 * empty config, and exactly one layer of {@link #LAYER_MEDIA_TYPE} holding the .wasm bytes unchanged. The layer's
 * digest is therefore the sha256 of the .wasm file, which is the digest a {@code BpfWasmProgram} names.
 */
public final class ModuleArtifact {
    public static final String ARTIFACT_TYPE = "application/vnd.bpfwasm.module.v1+json";
    public static final String LAYER_MEDIA_TYPE = "application/vnd.bpfwasm.module.layer.v1.wasm";

    private ModuleArtifact() {}
}
