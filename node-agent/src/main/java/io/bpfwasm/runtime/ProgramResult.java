package io.bpfwasm.runtime;

import io.bpfwasm.runtime.wasibpf.BpfFailure;

/**
 * The end of a program run.
 *
 * @param outcome how it ended
 * @param lastBpfFailure the guest's last failed eBPF call (with the verifier log when there is one), or null: a
 *     guest usually exits with an error code after it, and this is the explanation
 * @param memoryBytes the guest's linear memory size at the end (0 when it never started)
 * @param memoryLimitBytes the cap on it
 */
public record ProgramResult(ProgramOutcome outcome, BpfFailure lastBpfFailure, long memoryBytes,
                            long memoryLimitBytes) {

    /**
     * The guest's memory ended within an eighth of its cap: a failed allocation is then a likely reason for its
     * end. (The engine does not report failed memory.grow calls, so this is an estimate.)
     */
    public boolean memoryNearLimit() {
        return memoryBytes > 0 && memoryBytes >= memoryLimitBytes - memoryLimitBytes / 8;
    }

    /** One line: the outcome, plus the memory figures when the memory was near its cap. */
    public String describe() {
        return outcome.describe() + (memoryNearLimit()
                ? String.format(" (guest memory %.1f MiB of its %.1f MiB limit)", memoryBytes / 1048576.0,
                        memoryLimitBytes / 1048576.0)
                : "");
    }
}
