package io.bpfwasm.bpf.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A {@code struct bpf_program} of a {@link LibbpfObject}; valid until the object is closed. */
public final class LibbpfProgram {
    private final MemorySegment program;

    LibbpfProgram(MemorySegment program) {
        this.program = program;
    }

    public String name() {
        try {
            return Native.string((MemorySegment) Libbpf.PROGRAM_NAME.invokeExact(program));
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    public String sectionName() {
        try {
            return Native.string((MemorySegment) Libbpf.PROGRAM_SECTION_NAME.invokeExact(program));
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The kernel's enum bpf_prog_type value. */
    public int type() {
        try {
            return (int) Libbpf.PROGRAM_TYPE.invokeExact(program);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** The program fd after load, negative before. */
    public int fd() {
        try {
            return (int) Libbpf.PROGRAM_FD.invokeExact(program);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** bpf_program__attach: attaches by the section name. */
    public LibbpfLink attach() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(arena);
            return link((MemorySegment) Libbpf.PROGRAM_ATTACH.invokeExact(capture, program), capture);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** bpf_program__attach_tracepoint(category, name). */
    public LibbpfLink attachTracepoint(String category, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(arena);
            MemorySegment link = (MemorySegment) Libbpf.PROGRAM_ATTACH_TRACEPOINT.invokeExact(
                    capture, program, arena.allocateFrom(category), arena.allocateFrom(name));
            return link(link, capture);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** bpf_program__attach_raw_tracepoint(name). */
    public LibbpfLink attachRawTracepoint(String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(arena);
            MemorySegment link = (MemorySegment) Libbpf.PROGRAM_ATTACH_RAW_TRACEPOINT.invokeExact(
                    capture, program, arena.allocateFrom(name));
            return link(link, capture);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** Size and field offsets of struct bpf_uprobe_opts in libbpf 1.1. */
    private static final long UPROBE_OPTS_SIZE = 40;
    private static final long UPROBE_OPTS_RETPROBE = 24;
    private static final long UPROBE_OPTS_FUNC_NAME = 32;

    /**
     * bpf_program__attach_uprobe_opts: a uprobe (or uretprobe) on function of binary, at offset bytes into it.
     *
     * @param pid the process to trace, or -1 for every process running the binary
     */
    public LibbpfLink attachUprobe(boolean retprobe, int pid, String binary, String function, long offset)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(arena);
            MemorySegment opts = arena.allocate(UPROBE_OPTS_SIZE, 8);
            opts.set(Native.C_LONG, 0, UPROBE_OPTS_SIZE);
            opts.set(ValueLayout.JAVA_BYTE, UPROBE_OPTS_RETPROBE, (byte) (retprobe ? 1 : 0));
            opts.set(Native.C_POINTER, UPROBE_OPTS_FUNC_NAME, arena.allocateFrom(function));
            MemorySegment link = (MemorySegment) Libbpf.PROGRAM_ATTACH_UPROBE_OPTS.invokeExact(
                    capture, program, pid, arena.allocateFrom(binary), offset, opts);
            return link(link, capture);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** XDP attach flags (linux/if_link.h): generic (skb) mode, native (driver) mode; 0 lets the kernel choose. */
    public static final int XDP_FLAGS_SKB_MODE = 1 << 1;
    public static final int XDP_FLAGS_DRV_MODE = 1 << 2;
    /** enum bpf_attach_type: BPF_XDP, and BPF_TCX_INGRESS / BPF_TCX_EGRESS (kernel 6.6; libbpf 1.1 has no names) */
    private static final int BPF_XDP = 37;
    private static final int BPF_TCX_INGRESS = 46;
    private static final int BPF_TCX_EGRESS = 47;
    /** struct bpf_link_create_opts (libbpf 1.1): sz@0, flags@8; 64 bytes (the rest stays zero). */
    private static final long LINK_CREATE_OPTS_SIZE = 64;
    private static final long LINK_CREATE_OPTS_FLAGS = 8;

    /**
     * An XDP link on the interface, in the mode the flags ask for (0: native where the driver has it, else generic).
     * bpf_link_create rather than bpf_program__attach_xdp, which takes no flags in libbpf 1.1.
     */
    public LibbpfLink attachXdp(int ifindex, int xdpFlags) throws ErrnoException {
        return linkCreate(ifindex, BPF_XDP, xdpFlags);
    }

    /**
     * A TCX link at the interface's ingress or egress (kernel 6.6 and later; no qdisc involved). Kernels without
     * TCX refuse the attach type with EINVAL.
     */
    public LibbpfLink attachTcx(int ifindex, boolean egress) throws ErrnoException {
        return linkCreate(ifindex, egress ? BPF_TCX_EGRESS : BPF_TCX_INGRESS, 0);
    }

    /** bpf_link_create on an interface; the link fd is owned by the returned attachment and closing it detaches. */
    private LibbpfLink linkCreate(int ifindex, int attachType, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment opts = arena.allocate(LINK_CREATE_OPTS_SIZE, 8);
            opts.set(Native.C_LONG, 0, LINK_CREATE_OPTS_SIZE);
            opts.set(ValueLayout.JAVA_INT, LINK_CREATE_OPTS_FLAGS, flags);
            int fd = (int) Libbpf.LINK_CREATE.invokeExact(fd(), ifindex, attachType, opts);
            if (fd < 0) {
                throw new ErrnoException(-fd);
            }
            return LibbpfLink.ofLinkFd(fd);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /**
     * A tc filter at the interface's ingress or egress (clsact qdisc created when absent, removed on detach when this
     * attachment created it): the path for kernels without TCX. Not tied to any fd, so it outlives a killed process.
     */
    public LibbpfLink attachTcFilter(int ifindex, boolean egress) throws ErrnoException {
        return TcFilter.attach(fd(), ifindex, egress);
    }

    /**
     * bpf_program__attach_cgroup on the cgroup v2 directory at path; the directory is opened for the call only
     * (the link keeps the cgroup).
     */
    public LibbpfLink attachCgroup(String path) throws ErrnoException {
        int fd = NetAndFiles.openDirectory(path);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(arena);
            return link((MemorySegment) Libbpf.PROGRAM_ATTACH_CGROUP.invokeExact(capture, program, fd), capture);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        } finally {
            NetAndFiles.close(fd);
        }
    }

    private static LibbpfLink link(MemorySegment link, MemorySegment capture) throws ErrnoException {
        if (link.equals(MemorySegment.NULL)) {
            int errno = Native.errno(capture);
            throw new ErrnoException(errno == 0 ? 22 /* EINVAL */ : errno);
        }
        return new LibbpfLink(link);
    }
}
