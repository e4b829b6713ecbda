package io.bpfwasm.bpf.ffi;

import io.bpfwasm.bpf.SampleHandler;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A BPF_MAP_TYPE_RINGBUF consumer that reads the ring memory directly (no libbpf callback per record): the
 * consumer page is mapped writable, the producer page and the data area read-only, so a stray write throws
 * instead of corrupting the ring. Waits with epoll on the map fd, which is readable while records are pending.
 */
public final class RingBufferReader extends SlicedPollBuffer {
    private static final int PAGE_SIZE = pageSize();

    private final Arena arena;
    private final RingConsumer consumer;
    private final int epollFd;
    private final MemorySegment readyEvents;

    private RingBufferReader(Arena arena, RingConsumer consumer, int epollFd) {
        this.arena = arena;
        this.consumer = consumer;
        this.epollFd = epollFd;
        this.readyEvents = arena.allocate(Libc.EPOLL_EVENT_SIZE, 8);
    }

    /** Maps the ring of mapFd, whose max_entries (the data size) is ringSize. */
    public static RingBufferReader open(int mapFd, int ringSize) throws ErrnoException {
        Arena arena = Arena.ofShared();
        int epollFd = -1;
        try {
            MemorySegment consumerPage = map(arena, mapFd, PAGE_SIZE, Libc.PROT_READ | Libc.PROT_WRITE, 0);
            long producerLength = PAGE_SIZE + 2L * ringSize;
            MemorySegment producerArea = map(arena, mapFd, producerLength, Libc.PROT_READ, PAGE_SIZE).asReadOnly();
            MemorySegment data = producerArea.asSlice(PAGE_SIZE);
            RingConsumer consumer = new RingConsumer(consumerPage, producerArea, data, ringSize);
            epollFd = epollOn(mapFd);
            return new RingBufferReader(arena, consumer, epollFd);
        } catch (ErrnoException | RuntimeException e) {
            closeFd(epollFd);
            arena.close();
            throw e;
        }
    }

    @Override
    int drain(SampleHandler handler) {
        return consumer.consume(handler);
    }

    @Override
    int waitAndDrain(int sliceMs, SampleHandler handler) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(call);
            int ready = (int) Libc.EPOLL_WAIT.invokeExact(capture, epollFd, readyEvents, 1, sliceMs);
            if (ready < 0 && Native.errno(capture) != EINTR) {
                return -Native.errno(capture);
            }
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
        // Also after a timeout: records submitted with BPF_RB_NO_WAKEUP never wake the epoll.
        return consumer.consume(handler);
    }

    @Override
    public long lostSamples() {
        return 0; // a full ring buffer drops in the producer (bpf_ringbuf_reserve fails); the consumer cannot see it
    }

    @Override
    void free() {
        closeFd(epollFd);
        arena.close(); // unmaps both areas
    }

    private static MemorySegment map(Arena arena, int fd, long length, int protection, long offset)
            throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(call);
            MemorySegment address = (MemorySegment) Libc.MMAP.invokeExact(
                    capture, MemorySegment.NULL, length, protection, Libc.MAP_SHARED, fd, offset);
            if (address.address() == -1L) { // MAP_FAILED
                throw new ErrnoException(Native.errno(capture));
            }
            return Native.view(address, length, arena, () -> unmap(address, length));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static void unmap(MemorySegment address, long length) {
        try {
            var _ = (int) Libc.MUNMAP.invokeExact(address, length);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static int epollOn(int fd) throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment capture = Native.allocateCapture(call);
            int epollFd = (int) Libc.EPOLL_CREATE1.invokeExact(capture, Libc.EPOLL_CLOEXEC);
            if (epollFd < 0) {
                throw new ErrnoException(Native.errno(capture));
            }
            MemorySegment event = call.allocate(Libc.EPOLL_EVENT_SIZE, 8);
            event.set(ValueLayout.JAVA_INT, 0, Libc.EPOLLIN);
            int result = (int) Libc.EPOLL_CTL.invokeExact(capture, epollFd, Libc.EPOLL_CTL_ADD, fd, event);
            if (result < 0) {
                int errno = Native.errno(capture);
                closeFd(epollFd);
                throw new ErrnoException(errno);
            }
            return epollFd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static void closeFd(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            var _ = (int) Libc.CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }

    private static int pageSize() {
        try {
            return (int) Libc.GETPAGESIZE.invokeExact();
        } catch (Throwable t) {
            throw Native.unexpected(t);
        }
    }
}
