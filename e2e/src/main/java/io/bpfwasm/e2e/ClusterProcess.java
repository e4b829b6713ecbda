package io.bpfwasm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process of the local cluster (registry, operator, agent) with stdout and stderr appended to a log file. Stopping
 * is graceful first (SIGTERM, which lets an agent close its BPF objects), then forced.
 */
public final class ClusterProcess implements AutoCloseable {
  private static final long STOP_WAIT_SECONDS = 45;

  private final String name;
  private final List<String> command;
  private final Path log;
  private final Process process;

  private ClusterProcess(String name, List<String> command, Path log, Process process) {
    this.name = name;
    this.command = List.copyOf(command);
    this.log = log;
    this.process = process;
  }

  /** Starts {@code command}; its output is appended to {@code log}, so a restarted process keeps one log. */
  public static ClusterProcess start(String name, List<String> command, Path log) {
    try {
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      return new ClusterProcess(name, command, log, process);
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot start " + String.join(" ", command), e);
    }
  }

  /** The same command again, appending to the same log. */
  public ClusterProcess restart() {
    close();
    return start(name, command, log);
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Throws with the end of the log when the process has exited. */
  public void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; last log lines ("
          + log + "):\n" + tail(40));
    }
  }

  /** Everything the process has logged so far. */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot read " + log, e);
    }
  }

  public String tail(int lines) {
    List<String> all = logText().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** SIGKILL: no shutdown hook runs; the kernel closes the process's file descriptors (and so its BPF objects). */
  public void kill() {
    process.destroyForcibly();
    waitFor(10);
  }

  /** SIGTERM, then SIGKILL if the process has not exited after 45 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!waitFor(STOP_WAIT_SECONDS)) {
      process.destroyForcibly();
      waitFor(10);
    }
  }

  private boolean waitFor(long seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }
}
