package io.bpfwasm.e2e;

/** How an external command (helm, kubectl) exited and what it printed. */
public record CommandResult(String command, int exitCode, String stdout, String stderr) {

  public boolean succeeded() {
    return exitCode == 0;
  }

  /** stdout and stderr together, for assertion messages. */
  public String output() {
    return stdout + stderr;
  }

  /** A one-line-per-stream description for assertion failures. */
  public String describe() {
    return command + " exited with " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
  }
}
