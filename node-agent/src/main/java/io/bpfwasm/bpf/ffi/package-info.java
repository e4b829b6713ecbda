/**
 * The libbpf and libc binding (Java FFM API); the only package that imports {@code java.lang.foreign}. Classes here
 * do mechanics and report failures as {@link io.bpfwasm.bpf.ffi.ErrnoException} or negative errno values; the
 * object model in {@code io.bpfwasm.bpf} adds context to messages. Facts this relies on (libbpf 1.1, x86_64) are in
 * the project's notes/libbpf-ffm.md and notes/ringbuf-fast-path.md.
 */
package io.bpfwasm.bpf.ffi;
