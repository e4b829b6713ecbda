package io.bpfwasm.bpf.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The libc look-ups attaching needs: interface names to indexes, cgroup directories to fds. */
public final class NetAndFiles {
    private NetAndFiles() {}

    /** if_nametoindex: the interface's index in this network namespace; ENODEV when there is none. */
    public static int interfaceIndex(String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(arena);
            int index = (int) Libc.IF_NAMETOINDEX.invokeExact(capture, arena.allocateFrom(name));
            if (index == 0) {
                int errno = Native.errno(capture);
                throw new ErrnoException(errno == 0 ? 19 /* ENODEV */ : errno);
            }
            return index;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC); the caller closes the fd with {@link #close(int)}. */
    static int openDirectory(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(arena);
            int fd = (int) Libc.OPEN.invokeExact(capture, arena.allocateFrom(path),
                    Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
            if (fd < 0) {
                throw new ErrnoException(Native.errno(capture));
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    /** close(fd): 0, or the negative errno (a link fd's close detaches, so its result matters). */
    static int closeReporting(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(arena);
            int result = (int) Libc.CLOSE_ERRNO.invokeExact(capture, fd);
            return result < 0 ? -Native.errno(capture) : 0;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    static void close(int fd) {
        try {
            int _ = (int) Libc.CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
