package io.bpfwasm.bpf.ffi;

import static io.bpfwasm.bpf.ffi.Native.C_INT;
import static io.bpfwasm.bpf.ffi.Native.C_LONG;
import static io.bpfwasm.bpf.ffi.Native.C_POINTER;
import static io.bpfwasm.bpf.ffi.Native.downcall;
import static io.bpfwasm.bpf.ffi.Native.downcallErrno;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/** Method handles for the libc functions the ring buffer reader and the log formatter need (x86_64 Linux). */
final class Libc {
    private Libc() {}

    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 1;
    /** struct epoll_event is packed on x86_64: u32 events, u64 data. */
    static final long EPOLL_EVENT_SIZE = 12;

    static final MethodHandle MMAP = downcallErrno("mmap",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_INT, C_INT, C_INT, C_LONG));
    static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(C_INT, C_POINTER, C_LONG));
    static final MethodHandle EPOLL_CREATE1 = downcallErrno("epoll_create1", FunctionDescriptor.of(C_INT, C_INT));
    static final MethodHandle EPOLL_CTL = downcallErrno("epoll_ctl",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    static final MethodHandle EPOLL_WAIT = downcallErrno("epoll_wait",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT));
    static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(C_INT, C_INT));
    static final MethodHandle CLOSE_ERRNO = downcallErrno("close", FunctionDescriptor.of(C_INT, C_INT));
    static final int O_RDONLY = 0;
    static final int O_DIRECTORY = 0x10000;
    static final int O_CLOEXEC = 0x80000;
    /** open(path, flags) without a mode: the variadic part is empty, so the fixed-argument convention holds. */
    static final MethodHandle OPEN = downcallErrno("open", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    /** if_nametoindex returns 0 and sets errno (ENODEV) for an unknown interface. */
    static final MethodHandle IF_NAMETOINDEX = downcallErrno("if_nametoindex",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle GETPAGESIZE = downcall("getpagesize", FunctionDescriptor.of(C_INT));
    /** vsnprintf(char *buf, size_t size, const char *fmt, va_list ap); on x86_64 a va_list argument is a pointer. */
    static final MethodHandle VSNPRINTF = downcall("vsnprintf",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_POINTER, C_POINTER));
}
