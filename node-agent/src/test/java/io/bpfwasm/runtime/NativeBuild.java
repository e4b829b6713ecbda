package io.bpfwasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Modules built by native/Makefile; the location comes from system property bpfwasm.native.build (parent pom). */
public final class NativeBuild {
    private NativeBuild() {}

    public static Path dir() {
        String dir = System.getProperty("bpfwasm.native.build");
        assertThat(dir).as("system property bpfwasm.native.build (set by the parent pom)").isNotBlank();
        return Path.of(dir);
    }

    /** native/build/test/<name>.wasm, which must exist (run make -C native). */
    public static Path testGuest(String name) {
        return existing(dir().resolve("test").resolve(name + ".wasm"));
    }

    /** native/build/<name>.wasm */
    public static Path example(String name) {
        return existing(dir().resolve(name + ".wasm"));
    }

    public static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path existing(Path p) {
        assertThat(p).as("built module (run make -C native)").exists();
        return p;
    }
}
