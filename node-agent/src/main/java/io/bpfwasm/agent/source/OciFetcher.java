package io.bpfwasm.agent.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import land.oras.ContainerRef;
import land.oras.Layer;
import land.oras.Manifest;
import land.oras.Registry;
import land.oras.exception.OrasException;

/**
 * Pulls a module artifact ({@link ModuleArtifact}): reads the manifest, checks its artifact type, finds the module
 * layer and refuses it when its digest is not the expected one before downloading anything.
 */
public final class OciFetcher {
    private final OciRegistries registries;
    private final Path scratchDir;

    /** @param scratchDir where blobs are downloaded before verification (the cache directory is fine) */
    public OciFetcher(OciRegistries registries, Path scratchDir) {
        this.registries = registries;
        this.scratchDir = scratchDir;
    }

    public byte[] fetch(String reference, String expectedDigest) throws SourceException {
        String what = "oci " + reference;
        ContainerRef ref = OciRegistries.parse(reference);
        Registry registry;
        try {
            registry = registries.registryFor(ref);
        } catch (OrasException e) {
            throw new SourceException(what + ": " + OciRegistries.describe(e), e);
        }
        Manifest manifest;
        try {
            manifest = registry.getManifest(ref);
        } catch (OrasException e) {
            throw new SourceException(what + ": cannot read the manifest: " + OciRegistries.describe(e), e);
        }
        String type = manifest.getArtifactTypeAsString();
        if (!ModuleArtifact.ARTIFACT_TYPE.equals(type)) {
            throw new SourceException(what + ": artifact type " + type + " is not a bpfwasm module (expected "
                    + ModuleArtifact.ARTIFACT_TYPE + ")");
        }
        Layer layer = manifest.getLayers().stream()
                .filter(l -> ModuleArtifact.LAYER_MEDIA_TYPE.equals(l.getMediaType()))
                .findFirst()
                .orElseThrow(() -> new SourceException(what + ": the artifact has no layer of media type "
                        + ModuleArtifact.LAYER_MEDIA_TYPE));
        if (!expectedDigest.equals(layer.getDigest())) {
            throw new DigestMismatchException(what, expectedDigest, layer.getDigest());
        }
        Path tmp = null;
        try {
            Files.createDirectories(scratchDir);
            tmp = Files.createTempFile(scratchDir, ".pull-", ".wasm");
            registry.fetchBlob(ref.withDigest(layer.getDigest()), tmp);
            return Files.readAllBytes(tmp);
        } catch (OrasException e) {
            throw new SourceException(what + ": cannot fetch layer " + layer.getDigest() + ": "
                    + OciRegistries.describe(e), e);
        } catch (IOException e) {
            throw new SourceException(what + ": cannot store the download in " + scratchDir + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }
}
