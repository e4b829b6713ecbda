package io.bpfwasm.bpf;

/**
 * How a tc program attaches. Production code always uses {@link #TCX_OR_FILTER}; tests force {@link #FILTER} to
 * cover the path older kernels take.
 */
enum TcPath {
    /**
     * A TCX link (kernel 6.6 and later): no qdisc, and the kernel detaches it when the link fd closes, so also when
     * the process dies. A kernel that refuses the TCX attach type gets a clsact filter instead.
     */
    TCX_OR_FILTER,
    /** Only the clsact filter over netlink, which outlives a process that dies without detaching. */
    FILTER
}
