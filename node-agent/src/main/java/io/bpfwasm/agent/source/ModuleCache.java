package io.bpfwasm.agent.source;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verified modules on disk, one file per digest ({@code sha256-<hex>.wasm}). Files are written atomically and
 * re-verified on every read, so a corrupted or tampered file is deleted and fetched again, never run.
 */
public final class ModuleCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleCache.class);
    private final Path dir;

    public ModuleCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The module with this digest, if cached and intact. */
    public Optional<byte[]> get(String digest) {
        Path file = fileFor(digest);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (Digests.sha256(bytes).equals(digest)) {
                return Optional.of(bytes);
            }
            LOG.warn("module cache: {} does not hash to its name; deleting it", file);
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("module cache: cannot read {}: {}", file, e.toString());
        }
        return Optional.empty();
    }

    /** Stores verified bytes under their digest; a failure to write is logged, the module still runs. */
    public void put(String digest, byte[] bytes) {
        if (!Digests.sha256(bytes).equals(digest)) {
            throw new IllegalArgumentException("module cache: bytes do not hash to " + digest);
        }
        Path file = fileFor(digest);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".incoming-", ".wasm");
            try {
                Files.write(tmp, bytes);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            LOG.warn("module cache: cannot store {} in {}: {}", digest, dir, e.toString());
        }
    }

    Path fileFor(String digest) {
        if (!Digests.isValid(digest)) {
            throw new IllegalArgumentException("module cache: not a sha256 digest: " + digest);
        }
        return dir.resolve("sha256-" + digest.substring("sha256:".length()) + ".wasm");
    }
}
