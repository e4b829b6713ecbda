/**
 * bpfwasm's eBPF object model on libbpf, in the spirit of cilium/ebpf: a {@link io.bpfwasm.bpf.BpfObject} is loaded
 * from ELF bytes and owns its {@link io.bpfwasm.bpf.BpfProgram programs}, {@link io.bpfwasm.bpf.BpfMap maps},
 * {@link io.bpfwasm.bpf.BpfLink links} and {@link io.bpfwasm.bpf.EventBuffer event buffers}; closing it detaches
 * and frees everything.
 *
 * <p>Conventions:
 * <ul>
 *   <li>Setup calls (load, attach, openBuffer) throw {@link io.bpfwasm.bpf.BpfException} whose message names the
 *       object ("map events: ...", "program handle_exec (tracepoint/...): ...") and whose {@code errno()} is the
 *       positive Linux errno (libbpf's own codes are >= 4000). A verifier rejection is a
 *       {@link io.bpfwasm.bpf.VerifierException} carrying the verifier log.</li>
 *   <li>Hot-path calls (map element operations, poll) return 0/counts or a negative Linux errno and never throw for
 *       kernel errors.</li>
 *   <li>Every libbpf log line logged on behalf of an object goes to the consumer given to
 *       {@link io.bpfwasm.bpf.BpfObject#load} and to the SLF4J logger "io.bpfwasm.libbpf" at debug level.</li>
 *   <li>Polls run on the calling thread and block in native code in slices of at most 25 ms: poll on platform
 *       threads. Interrupting the polling thread makes poll return -EINTR within a slice (the interrupt flag stays
 *       set); closing the object from another thread makes it return -EBADF.</li>
 * </ul>
 * Only {@code io.bpfwasm.bpf.ffi} touches native memory ({@code java.lang.foreign}).
 */
package io.bpfwasm.bpf;
