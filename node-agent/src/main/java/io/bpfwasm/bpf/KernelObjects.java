package io.bpfwasm.bpf;

import io.bpfwasm.bpf.ffi.ErrnoException;
import io.bpfwasm.bpf.ffi.KernelIds;
import java.util.Set;

/** The kernel's view of all BPF programs, maps and links (BPF_*_GET_NEXT_ID), for leak checks and status. */
public final class KernelObjects {
    private KernelObjects() {}

    /** @throws IllegalStateException when the kernel refuses the query (e.g. without CAP_SYS_ADMIN) */
    public static Set<Integer> programIds() {
        try {
            return KernelIds.programIds();
        } catch (ErrnoException e) {
            throw new IllegalStateException("listing BPF program ids: " + e.getMessage(), e);
        }
    }

    public static Set<Integer> mapIds() {
        try {
            return KernelIds.mapIds();
        } catch (ErrnoException e) {
            throw new IllegalStateException("listing BPF map ids: " + e.getMessage(), e);
        }
    }

    public static Set<Integer> linkIds() {
        try {
            return KernelIds.linkIds();
        } catch (ErrnoException e) {
            throw new IllegalStateException("listing BPF link ids: " + e.getMessage(), e);
        }
    }
}
