package io.bpfwasm.bpf;

/** The Linux errno values this package returns or reports itself (the kernel's pass through as they are). */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EBADF = 9;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ERANGE = 34;
    static final int EOPNOTSUPP = 95;
    /** The kernel-internal ENOTSUPP that leaks out of some BPF paths. */
    static final int ENOTSUPP = 524;

    private Errno() {}
}
