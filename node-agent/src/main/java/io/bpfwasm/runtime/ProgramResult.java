package io.bpfwasm.runtime;

import io.bpfwasm.runtime.wasibpf.BpfFailure;

/**
 * The end of a program run.
 *
 * @param outcome how it ended
 * @param lastBpfFailure the guest's last failed eBPF call (with the verifier log when there is one), or null: a
 *     guest usually exits with an error code after it, and this is the explanation
 * @param memoryLimitReached the guest's memory had reached its cap (a failed allocation is then the likely cause of
 *     its end)
 */
public record ProgramResult(ProgramOutcome outcome, BpfFailure lastBpfFailure, boolean memoryLimitReached) {

    /** One line: the outcome, plus the memory cap when it was reached. */
    public String describe() {
        return outcome.describe() + (memoryLimitReached ? " (guest memory had reached its limit)" : "");
    }
}
