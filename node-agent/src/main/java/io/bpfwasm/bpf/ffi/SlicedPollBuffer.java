package io.bpfwasm.bpf.ffi;

import io.bpfwasm.bpf.SampleHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The poll loop shared by ring and perf buffers. Native waits cannot be interrupted from Java, so a poll waits in
 * slices of at most {@link #SLICE_MS} and checks between slices whether its thread was interrupted (then it returns
 * -EINTR, leaving the interrupt flag set for the caller) or the buffer is being closed. Records already available
 * are delivered without waiting.
 *
 * <p>Thread safety: polls are serialised by a lock. {@link #close()} from another thread makes a running poll
 * return within one slice, then frees; close from inside a poll's handler frees when that poll returns.
 */
abstract class SlicedPollBuffer implements NativeBuffer {
    static final int SLICE_MS = 25;
    static final int EINTR = 4;
    static final int EBADF = 9;

    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closeRequested;
    private boolean freed;

    /** Delivers the records available now, without waiting; count or a negative result. */
    abstract int drain(SampleHandler handler);

    /** Waits up to sliceMs for records and delivers them; count (0 when none came) or a negative errno/result. */
    abstract int waitAndDrain(int sliceMs, SampleHandler handler);

    /** Releases the native resources; called once, under the lock. */
    abstract void free();

    @Override
    public final int poll(int timeoutMs, SampleHandler handler) {
        lock.lock();
        try {
            if (freed || closeRequested) {
                return -EBADF;
            }
            if (Thread.currentThread().isInterrupted()) {
                return -EINTR;
            }
            int delivered = drain(handler);
            if (delivered != 0 || timeoutMs == 0) {
                return delivered;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (true) {
                int slice = SLICE_MS;
                if (timeoutMs > 0) {
                    long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime() + 999_999);
                    if (remainingMs <= 0) {
                        return 0;
                    }
                    slice = (int) Math.min(SLICE_MS, remainingMs);
                }
                int result = waitAndDrain(slice, handler);
                if (result != 0) {
                    return result;
                }
                if (Thread.currentThread().isInterrupted()) {
                    return -EINTR;
                }
                if (closeRequested) {
                    return -EBADF;
                }
            }
        } finally {
            try {
                if (closeRequested && lock.getHoldCount() == 1) {
                    freeOnce();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public final void close() {
        closeRequested = true;
        if (lock.isHeldByCurrentThread()) {
            return; // called from a handler: the poll frees when it returns
        }
        lock.lock();
        try {
            freeOnce();
        } finally {
            lock.unlock();
        }
    }

    private void freeOnce() {
        if (!freed) {
            freed = true;
            free();
        }
    }
}
