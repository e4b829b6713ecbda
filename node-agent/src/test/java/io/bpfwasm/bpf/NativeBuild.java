package io.bpfwasm.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files built by {@code make -C native}; tests fail (never skip) when they are missing. */
final class NativeBuild {
    private NativeBuild() {}

    static Path path(String relative) {
        String dir = System.getProperty("bpfwasm.native.build");
        assertThat(dir).as("system property bpfwasm.native.build (set by the parent pom)").isNotBlank();
        Path file = Path.of(dir, relative);
        assertThat(file).as("%s: run make -C native first", file).exists();
        return file;
    }

    static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] u32(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
    }

    static byte[] u64(long value) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (value >> (8 * i));
        }
        return b;
    }

    static long readU64(byte[] b) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }
}
