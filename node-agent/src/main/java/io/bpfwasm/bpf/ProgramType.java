package io.bpfwasm.bpf;

/** Kernel program types bpfwasm knows by name (enum bpf_prog_type); everything else is {@link #OTHER}. */
public enum ProgramType {
    SOCKET_FILTER(1), KPROBE(2), SCHED_CLS(3), SCHED_ACT(4), TRACEPOINT(5), XDP(6), PERF_EVENT(7), CGROUP_SKB(8),
    CGROUP_SOCK(9), SOCK_OPS(13), SK_SKB(14), SK_MSG(16), RAW_TRACEPOINT(17), CGROUP_SOCK_ADDR(18),
    RAW_TRACEPOINT_WRITABLE(24), TRACING(26), STRUCT_OPS(27), EXT(28), LSM(29), SK_LOOKUP(30), SYSCALL(31),
    OTHER(-1);

    private final int kernelValue;

    ProgramType(int kernelValue) {
        this.kernelValue = kernelValue;
    }

    public int kernelValue() {
        return kernelValue;
    }

    public static ProgramType fromKernel(int value) {
        for (ProgramType t : values()) {
            if (t.kernelValue == value) {
                return t;
            }
        }
        return OTHER;
    }
}
