package io.bpfwasm.cli;

/**
 * Exit codes of {@code bpfwasm run} (sysexits-style, so they do not collide with small guest codes). A guest that
 * exits is passed through: its code becomes ours, except that a non-zero exit after a failed eBPF call becomes
 * {@link #BPF_ERROR} (the guest gave up because of it, and the error is printed).
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad command line: unknown option, unparsable duration or size. */
    public static final int USAGE = 64;
    /** Not a valid WebAssembly module, or one that cannot be instantiated (missing import or export, memory). */
    public static final int BAD_MODULE = 65;
    /** The module file cannot be read. */
    public static final int NO_INPUT = 66;
    /** The guest failed after an eBPF load or attach error (verifier rejection, unsupported program type, ...). */
    public static final int BPF_ERROR = 69;
    /** The guest trapped, or was stopped for running past its CPU guard. */
    public static final int TRAP = 70;
    /** A failure of bpfwasm itself. */
    public static final int INTERNAL = 71;

    private ExitCodes() {}
}
