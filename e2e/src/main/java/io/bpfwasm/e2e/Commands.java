package io.bpfwasm.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs an external command with a timeout, capturing stdout and stderr separately. */
final class Commands {
  private Commands() {}

  /** Runs {@code command} after {@code setup} adjusts its environment; never throws for a non-zero exit. */
  static CommandResult run(List<String> command, Consumer<ProcessBuilder> setup, long timeoutSeconds) {
    ProcessBuilder builder = new ProcessBuilder(command);
    setup.accept(builder);
    String shown = String.join(" ", command);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(shown + ": no exit after " + timeoutSeconds + " s");
      }
      return new CommandResult(shown, process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(shown, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + shown, e);
    }
  }

  private static String read(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
