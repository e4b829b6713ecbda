package io.bpfwasm.bpf;

import io.bpfwasm.bpf.ffi.ErrnoException;
import io.bpfwasm.bpf.ffi.LibbpfLink;
import io.bpfwasm.bpf.ffi.LibbpfProgram;

/**
 * How a program attaches to an explicit target, by program type: the one place to extend when more hook types get
 * targets. Without a target, libbpf attaches by the section name.
 */
final class Attachment {
    private Attachment() {}

    static LibbpfLink attach(BpfProgram program, String target) throws BpfException {
        LibbpfProgram handle = program.handle();
        try {
            if (target == null || target.isEmpty()) {
                return handle.attach();
            }
            return switch (program.type()) {
                case TRACEPOINT -> {
                    // "category/name" (as in the section name) or "category:name" (as in tracefs)
                    int slash = target.indexOf('/') >= 0 ? target.indexOf('/') : target.indexOf(':');
                    if (slash <= 0 || slash == target.length() - 1) {
                        throw new BpfException(program + ": attach target \"" + target
                                + "\" is not a tracepoint; expected category/name", Errno.EINVAL);
                    }
                    yield handle.attachTracepoint(target.substring(0, slash), target.substring(slash + 1));
                }
                case RAW_TRACEPOINT, RAW_TRACEPOINT_WRITABLE -> handle.attachRawTracepoint(target);
                default -> throw new BpfException(program + ": attaching a " + program.typeName()
                        + " program to an explicit target (\"" + target + "\") is not supported", Errno.EINVAL);
            };
        } catch (ErrnoException e) {
            throw new BpfException(program + ": attach" + (target == null || target.isEmpty() ? "" : " to \""
                    + target + "\"") + " failed: " + e.getMessage(), e.errno());
        }
    }
}
