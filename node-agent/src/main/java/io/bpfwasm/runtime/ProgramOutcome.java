package io.bpfwasm.runtime;

import java.time.Duration;

/** How a program ended. */
public sealed interface ProgramOutcome {

    /** One line for people, e.g. "exited with code 3". */
    String describe();

    /** The guest returned from main or called exit(code). */
    record Exited(int code) implements ProgramOutcome {
        @Override
        public String describe() {
            return "exited with code " + code;
        }
    }

    /** The guest trapped: unreachable (abort), out-of-bounds memory access, call stack exhausted, ... */
    record Trapped(String message) implements ProgramOutcome {
        @Override
        public String describe() {
            return "trapped: " + message;
        }
    }

    /** Stopped because the guest ran longer than its CPU guard without returning to the host. */
    record CpuGuardExceeded(Duration limit) implements ProgramOutcome {
        @Override
        public String describe() {
            return "stopped by its CPU guard: ran longer than " + Units.format(limit)
                    + " without returning to the host";
        }
    }

    /** Ended by {@link ProgramHost#stop()}. */
    record Stopped() implements ProgramOutcome {
        @Override
        public String describe() {
            return "stopped";
        }
    }

    /** The module never ran: not valid WebAssembly, or it cannot be instantiated with this host. */
    record FailedToStart(Cause cause, String message) implements ProgramOutcome {
        public enum Cause {
            INVALID_MODULE, CANNOT_INSTANTIATE
        }

        @Override
        public String describe() {
            return "failed to start: " + message;
        }
    }

    /** The host failed while running the guest (a bug on our side; the message says what). */
    record HostError(String message) implements ProgramOutcome {
        @Override
        public String describe() {
            return "host error: " + message;
        }
    }
}
