package io.bpfwasm.agent.source;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import land.oras.ContainerRef;
import land.oras.Registry;
import land.oras.exception.OrasException;

/**
 * Builds ORAS registry clients: plain HTTP for the registries named insecure, TLS with the JDK's CAs (or only the
 * given CA file) otherwise. Uses virtual threads, so no SDK thread keeps the JVM alive.
 */
public final class OciRegistries implements AutoCloseable {
    private final Set<String> insecureHosts;
    private final Path caFile;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param insecureHosts "host:port" of registries spoken to over plain HTTP (e.g. a test registry)
     * @param caFile PEM file of the CA that signs the registries' certificates, or null for the JDK's
     */
    public OciRegistries(Set<String> insecureHosts, Path caFile) {
        this.insecureHosts = Set.copyOf(insecureHosts);
        this.caFile = caFile;
    }

    public static ContainerRef parse(String reference) throws SourceException {
        try {
            return ContainerRef.parse(reference);
        } catch (OrasException | IllegalArgumentException e) {
            throw new SourceException("oci " + reference + ": not a valid reference: " + e.getMessage());
        }
    }

    public Registry registryFor(ContainerRef ref) {
        Registry.Builder builder = Registry.builder();
        if (insecureHosts.contains(ref.getRegistry())) {
            builder = builder.insecure(); // plain HTTP; the SDK refuses a CA file together with it
        } else {
            builder = builder.defaults();
            if (caFile != null) {
                builder = builder.withCaFile(caFile);
            }
        }
        return builder.withExecutorService(executor).build();
    }

    /** A one-line reason for an SDK failure: unreachable, TLS, or the registry's HTTP status. */
    static String describe(OrasException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        Integer status = e.getStatusCode();
        if (root instanceof java.net.ConnectException || root instanceof java.nio.channels.ClosedChannelException) {
            return "registry unreachable (" + root.getClass().getSimpleName() + ")";
        }
        if (root instanceof javax.net.ssl.SSLException || root.getClass().getName().contains("Certificate")
                || root.getClass().getName().contains("Validator")) {
            return "TLS failure: " + root.getMessage();
        }
        if (status != null && status == 404) {
            return "not found in the registry (HTTP 404)";
        }
        if (status != null && status > 0) {
            return "registry answered HTTP " + status + ": " + e.getMessage();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
