package io.bpfwasm.bpf.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A tc filter on an interface's clsact qdisc, made over netlink: how tc programs attach on kernels without TCX links
 * (before 6.6). Attaching creates the clsact qdisc when the interface has none; detaching removes the filter and,
 * when this attachment created the qdisc, the qdisc. Nothing ties the filter to a file descriptor: if the process
 * dies without detaching, filter and program stay on the interface.
 */
final class TcFilter {
    /** enum bpf_tc_attach_point */
    private static final int BPF_TC_INGRESS = 1;
    private static final int BPF_TC_EGRESS = 2;
    private static final int EEXIST = 17;

    /** struct bpf_tc_hook (libbpf 1.1): sz@0, ifindex@8, attach_point@12, parent@16; 24 bytes. */
    private static final long HOOK_SIZE = 24;
    /** struct bpf_tc_opts (libbpf 1.1): sz@0, prog_fd@8, flags@12, prog_id@16, handle@20, priority@24; 32 bytes. */
    private static final long OPTS_SIZE = 32;

    private final int ifindex;
    private final int attachPoint;
    private final boolean createdQdisc;
    private final int handle;
    private final int priority;

    private TcFilter(int ifindex, int attachPoint, boolean createdQdisc, int handle, int priority) {
        this.ifindex = ifindex;
        this.attachPoint = attachPoint;
        this.createdQdisc = createdQdisc;
        this.handle = handle;
        this.priority = priority;
    }

    static LibbpfLink attach(int programFd, int ifindex, boolean egress) throws ErrnoException {
        int attachPoint = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment hook = hook(arena, ifindex, attachPoint);
            int created = (int) Libbpf.TC_HOOK_CREATE.invokeExact(hook);
            if (created < 0 && created != -EEXIST) {
                throw new ErrnoException(-created);
            }
            boolean createdQdisc = created == 0;
            MemorySegment opts = arena.allocate(OPTS_SIZE, 8);
            opts.set(ValueLayout.JAVA_LONG, 0, OPTS_SIZE);
            opts.set(ValueLayout.JAVA_INT, 8, programFd);
            int attached = (int) Libbpf.TC_ATTACH.invokeExact(hook, opts);
            if (attached < 0) {
                if (createdQdisc) {
                    destroyQdisc(arena, ifindex);
                }
                throw new ErrnoException(-attached);
            }
            var tc = new TcFilter(ifindex, attachPoint, createdQdisc, opts.get(ValueLayout.JAVA_INT, 20),
                    opts.get(ValueLayout.JAVA_INT, 24));
            return LibbpfLink.withoutKernelLink(tc::detach);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Removes the filter, then the qdisc if we created it; returns the first error (negative errno) or 0. */
    private int detach() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment opts = arena.allocate(OPTS_SIZE, 8);
            opts.set(ValueLayout.JAVA_LONG, 0, OPTS_SIZE);
            opts.set(ValueLayout.JAVA_INT, 20, handle);
            opts.set(ValueLayout.JAVA_INT, 24, priority);
            int result = (int) Libbpf.TC_DETACH.invokeExact(hook(arena, ifindex, attachPoint), opts);
            if (createdQdisc) {
                int destroyed = destroyQdisc(arena, ifindex);
                result = result < 0 ? result : destroyed;
            }
            return result;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** bpf_tc_hook_destroy with both points removes the whole clsact qdisc. */
    private static int destroyQdisc(Arena arena, int ifindex) throws Throwable {
        return (int) Libbpf.TC_HOOK_DESTROY.invokeExact(hook(arena, ifindex, BPF_TC_INGRESS | BPF_TC_EGRESS));
    }

    private static MemorySegment hook(Arena arena, int ifindex, int attachPoint) {
        MemorySegment hook = arena.allocate(HOOK_SIZE, 8);
        hook.set(ValueLayout.JAVA_LONG, 0, HOOK_SIZE);
        hook.set(ValueLayout.JAVA_INT, 8, ifindex);
        hook.set(ValueLayout.JAVA_INT, 12, attachPoint);
        return hook;
    }
}
