package io.bpfwasm.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleCacheTest {
    private static final byte[] MODULE = "\0asm module bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void storesByDigestAndReadsBack(@TempDir Path dir) {
        var cache = new ModuleCache(dir.resolve("cache"));
        String digest = Digests.sha256(MODULE);
        assertThat(cache.get(digest)).isEmpty();
        cache.put(digest, MODULE);
        assertThat(cache.get(digest)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(MODULE));
        assertThat(dir.resolve("cache").resolve("sha256-" + digest.substring(7) + ".wasm")).exists();
    }

    @Test
    void tamperedFileIsDeletedNotReturned(@TempDir Path dir) throws Exception {
        var cache = new ModuleCache(dir);
        String digest = Digests.sha256(MODULE);
        cache.put(digest, MODULE);
        Path file = cache.fileFor(digest);
        Files.write(file, "evil".getBytes(StandardCharsets.UTF_8));
        assertThat(cache.get(digest)).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void refusesBytesThatDoNotMatchTheDigestAndMalformedDigests(@TempDir Path dir) {
        var cache = new ModuleCache(dir);
        String other = Digests.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> cache.put(other, MODULE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(other);
        assertThatThrownBy(() -> cache.get("sha256:../../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a sha256 digest");
    }

    @Test
    void digestFormat() {
        assertThat(Digests.sha256(new byte[0]))
                .isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Digests.isValid("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")).isFalse();
        assertThat(Digests.isValid(null)).isFalse();
        assertThat(Digests.shortForm(Digests.sha256(new byte[0]))).isEqualTo("e3b0c44298fc");
    }
}
