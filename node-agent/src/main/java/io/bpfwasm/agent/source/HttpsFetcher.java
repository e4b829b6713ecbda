package io.bpfwasm.agent.source;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** Fetches a module from an https:// URL (plain http is refused: the module runs privileged code). */
public final class HttpsFetcher {
    /** Larger modules are refused rather than read into memory. */
    static final long MAX_MODULE_BYTES = 64L << 20;
    private final HttpClient client;

    public HttpsFetcher(SSLContext ssl) {
        this.client = HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public byte[] fetch(String url) throws SourceException, InterruptedException {
        String what = "https " + url;
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new SourceException(what + ": not a valid URL: " + e.getMessage());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new SourceException(what + ": only https:// URLs are allowed");
        }
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new SourceException(what + ": server answered HTTP " + response.statusCode());
            }
            byte[] body = response.body();
            if (body.length > MAX_MODULE_BYTES) {
                throw new SourceException(what + ": module larger than " + (MAX_MODULE_BYTES >> 20) + " MiB");
            }
            return body;
        } catch (IOException e) {
            throw new SourceException(what + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root instanceof javax.net.ssl.SSLException || root instanceof java.security.cert.CertificateException
                || root.getClass().getName().contains("Certificate") || root.getClass().getName().contains("Validator")
                ? "TLS failure: " + message : message;
    }
}
