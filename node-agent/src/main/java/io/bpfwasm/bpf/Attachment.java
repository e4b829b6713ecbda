package io.bpfwasm.bpf;

import io.bpfwasm.bpf.AttachPoint.Subject;
import io.bpfwasm.bpf.ffi.ErrnoException;
import io.bpfwasm.bpf.ffi.LibbpfLink;
import io.bpfwasm.bpf.ffi.LibbpfProgram;
import io.bpfwasm.bpf.ffi.NetAndFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a program attaches, by program type: the one place to extend when more hook types get targets. Without a
 * target, libbpf attaches by the section name. Targets:
 * <ul>
 *   <li>tracepoint: {@code category/name} or {@code category:name}; raw_tracepoint: the tracepoint name;
 *   <li>uprobe/uretprobe: {@code <binary>:<function>[+offset][@pid]} (without a target the section
 *       {@code uprobe/<binary>:<function>} is used); the pid limits the probe to one process;
 *   <li>xdp: {@code <interface>[:generic|:native]} (aliases {@code skb}, {@code drv}): a link on the interface (in
 *       the agent's network namespace); without a mode the kernel picks native where the driver has it;
 *   <li>tc: {@code <interface>[:ingress|:egress]} (ingress by default): a TCX link (kernel 6.6 and later), else a
 *       filter on the interface's clsact qdisc, which is created when absent and removed on detach if this
 *       attachment created it (see {@link TcPath});
 *   <li>cgroup_skb, sock_ops, cgroup_sock, cgroup_sock_addr: the cgroup v2 directory.
 * </ul>
 */
final class Attachment {
    private Attachment() {}

    /** A parsed XDP target: the interface and the XDP_FLAGS_*_MODE flag (0 = the kernel's choice). */
    private record Xdp(String interfaceName, int flags) {}

    /** A parsed uprobe target. */
    private record Uprobe(String binary, String function, long offset, int pid) {}

    static AttachPoint pointOf(BpfProgram program, String target) throws BpfException {
        String section = program.sectionName();
        boolean hasTarget = target != null && !target.isEmpty();
        return switch (program.type()) {
            case TRACEPOINT -> new AttachPoint("tracepoint", Subject.NONE, "");
            case RAW_TRACEPOINT, RAW_TRACEPOINT_WRITABLE -> new AttachPoint("raw_tracepoint", Subject.NONE, "");
            case TRACING -> new AttachPoint(section.startsWith("tp_btf") ? "tp_btf" : "fentry", Subject.NONE, "");
            case KPROBE -> {
                String kind = probeKind(section);
                if (!kind.startsWith("uprobe") && !kind.startsWith("uretprobe")) {
                    yield new AttachPoint(kind, Subject.NONE, "");
                }
                Uprobe probe = hasTarget ? parseUprobe(program, target) : uprobeOfSection(program);
                yield new AttachPoint(kind, Subject.BINARY, probe == null ? "" : canonical(probe.binary()));
            }
            case XDP -> new AttachPoint("xdp", Subject.INTERFACE,
                    hasTarget ? parseXdp(program, target).interfaceName() : "");
            case SCHED_CLS -> new AttachPoint("tc", Subject.INTERFACE, hasTarget ? interfaceOfTc(target) : "");
            case CGROUP_SKB -> new AttachPoint("cgroup_skb", Subject.CGROUP, hasTarget ? canonical(target) : "");
            case SOCK_OPS -> new AttachPoint("sock_ops", Subject.CGROUP, hasTarget ? canonical(target) : "");
            case CGROUP_SOCK -> new AttachPoint("cgroup_sock", Subject.CGROUP, hasTarget ? canonical(target) : "");
            case CGROUP_SOCK_ADDR ->
                    new AttachPoint("cgroup_sock_addr", Subject.CGROUP, hasTarget ? canonical(target) : "");
            case LSM -> new AttachPoint("lsm", Subject.NONE, "");
            default -> new AttachPoint(program.typeName(), Subject.NONE, "");
        };
    }

    static LibbpfLink attach(BpfProgram program, String target, TcPath tcPath) throws BpfException {
        LibbpfProgram handle = program.handle();
        boolean hasTarget = target != null && !target.isEmpty();
        try {
            return switch (program.type()) {
                case TRACEPOINT -> hasTarget ? attachTracepoint(program, target) : handle.attach();
                case RAW_TRACEPOINT, RAW_TRACEPOINT_WRITABLE ->
                        hasTarget ? handle.attachRawTracepoint(target) : handle.attach();
                case KPROBE -> attachProbe(program, target);
                case XDP -> attachXdp(program, need(program, target, XDP_SYNTAX));
                case SCHED_CLS -> attachTc(program, need(program, target, TC_SYNTAX), tcPath);
                case CGROUP_SKB, SOCK_OPS, CGROUP_SOCK, CGROUP_SOCK_ADDR ->
                        attachCgroup(program, canonical(need(program, target, "a cgroup v2 directory")));
                default -> {
                    if (hasTarget) {
                        throw new BpfException(program + ": attaching a " + program.typeName()
                                + " program to an explicit target (\"" + target + "\") is not supported",
                                Errno.EINVAL);
                    }
                    yield handle.attach();
                }
            };
        } catch (ErrnoException e) {
            throw new BpfException(program + ": attach" + (hasTarget ? " to \"" + target + "\"" : "") + " failed: "
                    + e.getMessage() + refusalReason(program, e.errno()), e.errno());
        }
    }

    /**
     * The path a check and the attach both use: symbolic links and ".." resolved, so "allowed/../other" cannot pass
     * a pattern for "allowed/**". Paths that do not exist are only normalised (the attach then reports them);
     * names without '/' (a library libbpf searches for) stay as they are.
     */
    private static String canonical(String path) {
        if (!path.contains("/")) {
            return path;
        }
        try {
            return Path.of(path).toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return Path.of(path).toAbsolutePath().normalize().toString();
        }
    }

    /** Why this kernel refuses a type it is known to refuse, or "". */
    private static String refusalReason(BpfProgram program, int errno) {
        String kind = program.type() == ProgramType.KPROBE ? probeKind(program.sectionName()) : "";
        if (kind.startsWith("kprobe") || kind.startsWith("kretprobe")) {
            return "; a kprobe program: this kernel offers no kprobes (built without CONFIG_KPROBES)";
        }
        if (program.type() == ProgramType.TRACING || program.type() == ProgramType.LSM) {
            return "; a " + program.typeName() + " program: this kernel refuses fentry/fexit/lsm attachments";
        }
        return "";
    }

    private static String need(BpfProgram program, String target, String what) throws BpfException {
        if (target == null || target.isEmpty()) {
            throw new BpfException(program + ": a " + program.typeName() + " program needs an attach target: "
                    + what, Errno.EINVAL);
        }
        return target;
    }

    private static LibbpfLink attachTracepoint(BpfProgram program, String target)
            throws BpfException, ErrnoException {
        // "category/name" (as in the section name) or "category:name" (as in tracefs)
        int slash = target.indexOf('/') >= 0 ? target.indexOf('/') : target.indexOf(':');
        if (slash <= 0 || slash == target.length() - 1) {
            throw new BpfException(program + ": attach target \"" + target
                    + "\" is not a tracepoint; expected category/name", Errno.EINVAL);
        }
        return program.handle().attachTracepoint(target.substring(0, slash), target.substring(slash + 1));
    }

    /** "uprobe", "uretprobe", "kprobe", "kretprobe", ... : the section's prefix. */
    private static String probeKind(String section) {
        int slash = section.indexOf('/');
        String prefix = slash < 0 ? section : section.substring(0, slash);
        return prefix.endsWith(".s") ? prefix.substring(0, prefix.length() - 2) : prefix;
    }

    private static LibbpfLink attachProbe(BpfProgram program, String target) throws BpfException, ErrnoException {
        String kind = probeKind(program.sectionName());
        boolean retprobe = kind.equals("uretprobe");
        if (!retprobe && !kind.equals("uprobe")) {
            if (target != null && !target.isEmpty()) {
                throw new BpfException(program + ": attaching a " + kind + " to an explicit target (\"" + target
                        + "\") is not supported", Errno.EINVAL);
            }
            return program.handle().attach();
        }
        Uprobe probe = target == null || target.isEmpty() ? uprobeOfSection(program) : parseUprobe(program, target);
        if (probe == null) {
            throw new BpfException(program + ": a " + kind + " program needs an attach target: "
                    + "<binary>:<function>[+offset][@pid] (or a section " + kind + "/<binary>:<function>)",
                    Errno.EINVAL);
        }
        if (probe.binary().contains("/") && !Files.isRegularFile(Path.of(probe.binary()))) {
            throw new BpfException(program + ": " + kind + " binary " + probe.binary() + " does not exist",
                    Errno.ENOENT);
        }
        try {
            return program.handle().attachUprobe(retprobe, probe.pid(), canonical(probe.binary()), probe.function(),
                    probe.offset());
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new BpfException(program + ": " + kind + ": function " + probe.function()
                        + " not found in binary " + probe.binary(), Errno.ENOENT);
            }
            throw e;
        }
    }

    /** The target of a section "uprobe/<binary>:<function>", or null for a bare "uprobe". */
    private static Uprobe uprobeOfSection(BpfProgram program) throws BpfException {
        String section = program.sectionName();
        int slash = section.indexOf('/');
        return slash < 0 || slash == section.length() - 1 ? null
                : parseUprobe(program, section.substring(slash + 1));
    }

    /** {@code <binary>:<function>[+offset][@pid]}; the binary may itself contain ':' (the last one separates). */
    private static Uprobe parseUprobe(BpfProgram program, String target) throws BpfException {
        String rest = target;
        int pid = -1;
        int at = rest.lastIndexOf('@');
        if (at > 0 && at < rest.length() - 1 && rest.substring(at + 1).chars().allMatch(Character::isDigit)) {
            pid = parseNumber(program, target, rest.substring(at + 1), 10);
            rest = rest.substring(0, at);
        }
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new BpfException(program + ": attach target \"" + target
                    + "\" is not a uprobe target; expected <binary>:<function>[+offset][@pid]", Errno.EINVAL);
        }
        String binary = rest.substring(0, colon);
        String function = rest.substring(colon + 1);
        long offset = 0;
        int plus = function.indexOf('+');
        if (plus >= 0) {
            String number = function.substring(plus + 1);
            offset = number.startsWith("0x") ? parseNumber(program, target, number.substring(2), 16)
                    : parseNumber(program, target, number, 10);
            function = function.substring(0, plus);
        }
        if (function.isEmpty()) {
            throw new BpfException(program + ": attach target \"" + target + "\" names no function",
                    Errno.EINVAL);
        }
        return new Uprobe(binary, function, offset, pid);
    }

    private static int parseNumber(BpfProgram program, String target, String number, int radix)
            throws BpfException {
        try {
            return Integer.parseInt(number, radix);
        } catch (NumberFormatException e) {
            throw new BpfException(program + ": attach target \"" + target + "\": \"" + number
                    + "\" is not a number", Errno.EINVAL);
        }
    }

    private static final String XDP_SYNTAX = "<interface>[:generic|:native] (aliases skb, drv)";

    /** {@code <interface>[:generic|:native]}; skb and drv are the iproute2 words for the same modes. */
    private static Xdp parseXdp(BpfProgram program, String target) throws BpfException {
        int colon = target.lastIndexOf(':');
        if (colon < 0) {
            return new Xdp(target, 0);
        }
        String name = target.substring(0, colon);
        String mode = target.substring(colon + 1);
        int flags = switch (mode) {
            case "generic", "skb" -> LibbpfProgram.XDP_FLAGS_SKB_MODE;
            case "native", "drv" -> LibbpfProgram.XDP_FLAGS_DRV_MODE;
            default -> -1;
        };
        if (flags < 0 || name.isEmpty()) {
            throw new BpfException(program + ": attach target \"" + target + "\" is not an xdp target"
                    + (name.isEmpty() ? "" : ": unknown XDP mode \"" + mode + "\"") + "; expected " + XDP_SYNTAX,
                    Errno.EINVAL);
        }
        return new Xdp(name, flags);
    }

    private static LibbpfLink attachXdp(BpfProgram program, String target) throws BpfException {
        Xdp xdp = parseXdp(program, target);
        int ifindex = interfaceIndex(program, xdp.interfaceName());
        try {
            return program.handle().attachXdp(ifindex, xdp.flags());
        } catch (ErrnoException e) {
            throw new BpfException(program + ": attach to \"" + target + "\" failed: " + e.getMessage()
                    + xdpHint(e.errno(), xdp), e.errno());
        }
    }

    /** What the usual XDP refusals mean. */
    private static String xdpHint(int errno, Xdp xdp) {
        return switch (errno) {
            case Errno.EOPNOTSUPP -> xdp.flags() == LibbpfProgram.XDP_FLAGS_DRV_MODE
                    ? "; the driver of " + xdp.interfaceName() + " has no native XDP (use :generic)" : "";
            // without a mode the kernel tries native and does not fall back to generic
            case Errno.ERANGE -> "; native XDP refuses the MTU of " + xdp.interfaceName()
                    + " (use :generic or a smaller MTU)";
            case Errno.EEXIST -> "; " + xdp.interfaceName() + " has an XDP program in the other mode (generic and"
                    + " native cannot be active together)";
            case Errno.EBUSY -> "; " + xdp.interfaceName() + " already has an XDP program in this mode";
            default -> "";
        };
    }

    private static int interfaceIndex(BpfProgram program, String name) throws BpfException {
        try {
            return NetAndFiles.interfaceIndex(name);
        } catch (ErrnoException e) {
            throw new BpfException(program + ": no network interface named \"" + name + "\"", e.errno());
        }
    }

    /** The interface of a tc target {@code <interface>[:ingress|:egress]}. */
    private static String interfaceOfTc(String target) {
        int colon = target.lastIndexOf(':');
        return colon < 0 ? target : target.substring(0, colon);
    }

    private static final String TC_SYNTAX = "<interface>[:ingress|:egress]";

    /** {@code <interface>[:ingress|:egress]}, ingress when no direction is given. */
    private static LibbpfLink attachTc(BpfProgram program, String target, TcPath path)
            throws BpfException, ErrnoException {
        String name = interfaceOfTc(target);
        String direction = name.equals(target) ? "ingress" : target.substring(name.length() + 1);
        if (!direction.equals("ingress") && !direction.equals("egress")) {
            throw new BpfException(program + ": attach target \"" + target
                    + "\" is not a tc target; expected " + TC_SYNTAX, Errno.EINVAL);
        }
        int ifindex = interfaceIndex(program, name);
        boolean egress = direction.equals("egress");
        if (path == TcPath.TCX_OR_FILTER) {
            try {
                return program.handle().attachTcx(ifindex, egress);
            } catch (ErrnoException e) {
                if (!lacksTcx(e.errno())) {
                    throw new BpfException(program + ": attach to \"" + target + "\" failed: " + e.getMessage()
                            + (e.errno() == Errno.EEXIST ? "; the program is already attached there" : ""),
                            e.errno());
                }
                program.object().note(program + ": this kernel has no TCX links (" + e.getMessage() + "); attaching"
                        + " to " + target + " through a clsact qdisc filter, which stays if the process dies");
            }
        }
        return program.handle().attachTcFilter(ifindex, egress);
    }

    /** How kernels before 6.6 (or built without CONFIG_NET_XGRESS) answer an unknown link attach type. */
    private static boolean lacksTcx(int errno) {
        return errno == Errno.EINVAL || errno == Errno.EOPNOTSUPP || errno == Errno.ENOTSUPP;
    }

    private static LibbpfLink attachCgroup(BpfProgram program, String directory) throws BpfException {
        if (!Files.isDirectory(Path.of(directory))) {
            throw new BpfException(program + ": cgroup directory " + directory + " does not exist", Errno.ENOENT);
        }
        try {
            return program.handle().attachCgroup(directory);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EBADF) {
                throw new BpfException(program + ": " + directory + " is not a cgroup v2 directory (cgroup v2 is "
                        + "mounted where /proc/mounts lists type cgroup2)", Errno.EBADF);
            }
            throw new BpfException(program + ": attach to cgroup " + directory + " failed: " + e.getMessage(),
                    e.errno());
        }
    }
}
