package io.bpfwasm.runtime.wasibpf;

/** Unwinds an import call that must fail with {@code -errno} (WASI numbering). Never escapes the host module. */
final class GuestFault extends Exception {
    final int errno;

    GuestFault(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }
}
