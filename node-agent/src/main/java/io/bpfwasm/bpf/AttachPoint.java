package io.bpfwasm.bpf;

/**
 * Where a program would attach, as a capability check sees it: the kind of hook and the kernel object it touches.
 *
 * @param kind the hook kind as libbpf users name it: tracepoint, raw_tracepoint, tp_btf, uprobe, uretprobe, kprobe,
 *     xdp, tc, cgroup_skb, sock_ops, cgroup_sock, cgroup_sock_addr, fentry (tracing), lsm, or libbpf's type name
 * @param subject the class of object the hook is on (NONE for kernel-wide hooks such as tracepoints)
 * @param subjectName the interface name, cgroup directory or binary path; empty when subject is NONE
 */
public record AttachPoint(String kind, Subject subject, String subjectName) {
    /** The kinds of kernel object an attachment is bound to. */
    public enum Subject {
        NONE, INTERFACE, CGROUP, BINARY;

        /** The word the policy uses: "interface", "cgroup", "binary". */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return subject == Subject.NONE ? kind : kind + " on " + subject.word() + " " + subjectName;
    }
}
