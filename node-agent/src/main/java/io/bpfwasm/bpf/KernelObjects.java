package io.bpfwasm.bpf;

import java.util.Set;

/** The kernel's view of all BPF programs, maps and links (BPF_*_GET_NEXT_ID), for leak checks and status. */
public final class KernelObjects {
    private KernelObjects() {}

    public static Set<Integer> programIds() {
        throw new UnsupportedOperationException("TODO");
    }

    public static Set<Integer> mapIds() {
        throw new UnsupportedOperationException("TODO");
    }

    public static Set<Integer> linkIds() {
        throw new UnsupportedOperationException("TODO");
    }
}
