package io.bpfwasm.agent.source;

import io.bpfwasm.api.v1alpha1.ModuleSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module bytes an assignment names: from the cache when a module with its digest is there, otherwise from its
 * source; always verified against the digest before they are returned, and cached afterwards.
 */
public final class ModuleResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleResolver.class);
    private final ModuleCache cache;
    private final OciFetcher oci;
    private final HttpsFetcher https;
    private final ConfigMapFetcher configMaps;

    public ModuleResolver(ModuleCache cache, OciFetcher oci, HttpsFetcher https, ConfigMapFetcher configMaps) {
        this.cache = cache;
        this.oci = oci;
        this.https = https;
        this.configMaps = configMaps;
    }

    /** Where the bytes came from, for logs and tests. */
    public enum Origin { CACHE, SOURCE }

    public record Module(byte[] bytes, String digest, Origin origin) {}

    public Module resolve(ModuleSource source, String namespace) throws SourceException, InterruptedException {
        String digest = source.getDigest();
        if (!Digests.isValid(digest)) {
            throw new SourceException("module.digest " + digest + ": must be sha256: and 64 lowercase hex digits");
        }
        Optional<byte[]> cached = cache.get(digest);
        if (cached.isPresent()) {
            return new Module(cached.get(), digest, Origin.CACHE);
        }
        String what;
        byte[] bytes;
        if (source.getOci() != null) {
            what = "oci " + source.getOci().getReference();
            bytes = oci.fetch(source.getOci().getReference(), digest);
        } else if (source.getHttps() != null) {
            what = "https " + source.getHttps().getUrl();
            bytes = https.fetch(source.getHttps().getUrl());
        } else if (source.getConfigMap() != null) {
            var cm = source.getConfigMap();
            what = "configMap " + namespace + "/" + cm.getName() + " key " + cm.getKey();
            bytes = configMaps.fetch(namespace, cm.getName(), cm.getKey());
        } else {
            throw new SourceException("module: no source set (oci, https or configMap)");
        }
        String actual = Digests.sha256(bytes);
        if (!actual.equals(digest)) {
            throw new DigestMismatchException(what, digest, actual);
        }
        cache.put(digest, bytes);
        LOG.info("{}: fetched {} bytes, digest {} verified", what, bytes.length, digest);
        return new Module(bytes, digest, Origin.SOURCE);
    }
}
