package io.bpfwasm.runtime.wasibpf;

import static io.bpfwasm.runtime.wasm.ValueType.I32;
import static io.bpfwasm.runtime.wasm.ValueType.I64;

import io.bpfwasm.bpf.AttachPoint;
import io.bpfwasm.bpf.BpfException;
import io.bpfwasm.bpf.EventBuffer;
import io.bpfwasm.bpf.MapType;
import io.bpfwasm.bpf.Sample;
import io.bpfwasm.bpf.SampleHandler;
import io.bpfwasm.runtime.wasibpf.BpfBackend.KernelIds;
import io.bpfwasm.runtime.wasibpf.BpfBackend.LoadedObject;
import io.bpfwasm.runtime.wasm.Guest;
import io.bpfwasm.runtime.wasm.GuestFunction;
import io.bpfwasm.runtime.wasm.GuestInterruptedException;
import io.bpfwasm.runtime.wasm.GuestMemory;
import io.bpfwasm.runtime.wasm.HostFunction;
import io.bpfwasm.runtime.wasm.ValueType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code wasm_bpf} import module for one guest instance (the eunomia-bpf/wasm-bpf ABI, strict): every failure
 * is a negative WASI errno ({@link WasiErrno}), every guest pointer and length is checked against guest memory
 * (EFAULT), handles name only objects and maps this instance loaded (EBADF otherwise), and every sample of a poll
 * reaches the guest. All calls happen on the guest's thread; {@link #close()} (also on that thread, when the guest
 * ends) closes whatever the guest left open.
 */
public final class WasmBpfHost implements AutoCloseable {
    public static final String MODULE = "wasm_bpf";
    static final String LOAD = "wasm_load_bpf_object";
    static final String ATTACH = "wasm_attach_bpf_program";
    static final String POLL = "wasm_bpf_buffer_poll";
    static final String MAP_FD = "wasm_bpf_map_fd_by_name";
    static final String MAP_OPERATE = "wasm_bpf_map_operate";
    static final String CLOSE = "wasm_close_bpf_object";

    static final int CMD_LOOKUP = 1;
    static final int CMD_UPDATE = 2;
    static final int CMD_DELETE = 3;
    static final int CMD_NEXT_KEY = 4;

    /** Longest single wait inside a poll, so a stop request (thread interrupt) is noticed quickly. */
    static final int POLL_SLICE_MS = 100;
    private static final List<ValueType> SAMPLE_PARAMS = List.of(I32, I32, I32);
    private static final List<ValueType> SAMPLE_RESULTS = List.of(I32);

    private final BpfBackend backend;
    private final AttachPolicy policy;
    private static final int LINUX_EPERM = 1;
    private final String objectName;
    private final Consumer<String> log;
    private final HandleTable handles = new HandleTable();
    private final SampleDelivery delivery = new SampleDelivery();
    private boolean polling;
    private volatile BpfFailure lastFailure;
    private volatile List<KernelIds> kernelIds = List.of();
    /** Lost-sample counts of every buffer polled so far (kept after its object closes). */
    private final Map<EventBuffer, Long> lostByBuffer = new HashMap<>();
    private volatile long samplesDelivered;
    private volatile long samplesLost;

    /**
     * @param objectName the name BPF objects get (e.g. the program's name)
     * @param log receives libbpf's log lines and this module's explanations of failed calls
     */
    public WasmBpfHost(BpfBackend backend, String objectName, Consumer<String> log) {
        this(backend, objectName, log, AttachPolicy.PERMISSIVE);
    }

    /** @param policy checked before every attach; a denied attach returns -EPERM and is logged */
    public WasmBpfHost(BpfBackend backend, String objectName, Consumer<String> log, AttachPolicy policy) {
        this.policy = policy;
        this.backend = backend;
        this.objectName = objectName;
        this.log = log;
    }

    /** The six imports, to link into the guest. */
    public List<HostFunction> functions() {
        return List.of(
                new HostFunction(MODULE, LOAD, List.of(I32, I32), List.of(I64),
                        (g, a) -> loadObject(g.memory(), (int) a[0], (int) a[1])),
                new HostFunction(MODULE, ATTACH, List.of(I64, I32, I32), List.of(I32),
                        (g, a) -> call(ATTACH, () -> attach(g.memory(), a[0], (int) a[1], (int) a[2]))),
                new HostFunction(MODULE, POLL, List.of(I64, I32, I32, I32, I32, I32, I32), List.of(I32),
                        (g, a) -> call(POLL, () -> poll(g, a[0], (int) a[1], (int) a[2], (int) a[3], (int) a[4],
                                (int) a[5], (int) a[6]))),
                new HostFunction(MODULE, MAP_FD, List.of(I64, I32), List.of(I32),
                        (g, a) -> call(MAP_FD, () -> mapFd(g.memory(), a[0], (int) a[1]))),
                new HostFunction(MODULE, MAP_OPERATE, List.of(I32, I32, I32, I32, I32, I64), List.of(I32),
                        (g, a) -> call(MAP_OPERATE, () -> mapOperate(g.memory(), (int) a[0], (int) a[1], (int) a[2],
                                (int) a[3], (int) a[4], a[5]))),
                new HostFunction(MODULE, CLOSE, List.of(I64), List.of(I32),
                        (g, a) -> call(CLOSE, () -> closeObject(a[0]))));
    }

    /** The most recent failed eBPF operation of the guest, or null. */
    public BpfFailure lastFailure() {
        return lastFailure;
    }

    /** Kernel ids of the objects the guest holds open now; safe to read from any thread. */
    public List<KernelIds> kernelIds() {
        return kernelIds;
    }

    /** Samples handed to the guest's callbacks so far; safe to read from any thread. */
    public long samplesDelivered() {
        return samplesDelivered;
    }

    /** Samples the kernel reported lost (perf buffers) in the buffers the guest polled; any thread. */
    public long samplesLost() {
        return samplesLost;
    }

    /** Closes every object the guest left open (detaching links, unloading programs and maps). */
    @Override
    public void close() {
        for (LoadedObject o : handles.removeAll()) {
            try {
                o.close();
            } catch (RuntimeException e) {
                log.accept("closing a BPF object failed: " + e); // keep closing the others
            }
        }
        refreshIds();
    }

    private interface Body {
        int run() throws GuestFault, BpfException;
    }

    private int call(String operation, Body body) {
        try {
            return body.run();
        } catch (GuestFault f) {
            return -f.errno;
        } catch (BpfException e) {
            fail(operation, e);
            return -WasiErrno.fromLinux(e.errno());
        }
    }

    private void fail(String operation, BpfException e) {
        lastFailure = BpfFailure.of(operation, e);
        log.accept(operation + ": " + e.getMessage());
    }

    private long loadObject(GuestMemory memory, int ptr, int length) {
        if (!GuestPointers.inBounds(memory, ptr, length)) {
            log.accept(LOAD + ": object bytes at " + Integer.toUnsignedString(ptr) + " length "
                    + Integer.toUnsignedString(length) + " lie outside guest memory");
            return 0;
        }
        try {
            // parsed at call time: guests patch .rodata in the embedded bytes before loading
            LoadedObject object = backend.load(memory.readBytes(ptr, length), objectName, log);
            long handle = handles.addObject(object);
            refreshIds();
            return handle;
        } catch (BpfException e) {
            fail(LOAD, e);
            return 0;
        }
    }

    private int attach(GuestMemory memory, long handle, int namePtr, int targetPtr)
            throws GuestFault, BpfException {
        LoadedObject object = object(handle);
        if (namePtr == 0) {
            return -WasiErrno.EINVAL;
        }
        String program = GuestPointers.readCString(memory, namePtr);
        String target = targetPtr == 0 ? "" : GuestPointers.readCString(memory, targetPtr);
        AttachPoint point = object.attachPoint(program, target.isEmpty() ? null : target);
        Optional<String> denial = policy.denial(point);
        if (denial.isPresent()) {
            throw new BpfException("program " + program + ": attach denied by the policy: " + denial.get(),
                    LINUX_EPERM);
        }
        object.attach(program, target.isEmpty() ? null : target);
        refreshIds();
        return 0;
    }

    private int mapFd(GuestMemory memory, long handle, int namePtr) throws GuestFault, BpfException {
        LoadedObject object = object(handle);
        if (namePtr == 0) {
            return -WasiErrno.EINVAL;
        }
        String name = GuestPointers.readCString(memory, namePtr);
        return handles.mapFd(handle, name, object.map(name));
    }

    private int mapOperate(GuestMemory memory, int fd, int cmd, int keyPtr, int valuePtr, int nextKeyPtr, long flags)
            throws GuestFault {
        var entry = handles.map(fd);
        if (entry == null) {
            return -WasiErrno.EBADF;
        }
        var map = entry.map();
        int keySize = map.keySize();
        int valueSize = map.valueSize();
        switch (cmd) {
            case CMD_LOOKUP -> {
                byte[] key = GuestPointers.read(memory, keyPtr, keySize);
                GuestPointers.check(memory, valuePtr, valueSize);
                byte[] value = new byte[valueSize];
                int rc = map.lookup(key, value);
                if (rc == 0) {
                    memory.write(valuePtr, value, 0, valueSize);
                }
                return WasiErrno.fromLinuxResult(rc);
            }
            case CMD_UPDATE -> {
                byte[] key = GuestPointers.read(memory, keyPtr, keySize);
                byte[] value = GuestPointers.read(memory, valuePtr, valueSize);
                return WasiErrno.fromLinuxResult(map.update(key, value, flags));
            }
            case CMD_DELETE -> {
                return WasiErrno.fromLinuxResult(map.delete(GuestPointers.read(memory, keyPtr, keySize)));
            }
            case CMD_NEXT_KEY -> {
                // a NULL key asks for the first key
                byte[] key = keyPtr == 0 ? null : GuestPointers.read(memory, keyPtr, keySize);
                GuestPointers.check(memory, nextKeyPtr, keySize);
                byte[] next = new byte[keySize];
                int rc = map.nextKey(key, next);
                if (rc == 0) {
                    memory.write(nextKeyPtr, next, 0, keySize);
                }
                return WasiErrno.fromLinuxResult(rc);
            }
            default -> {
                return -WasiErrno.EINVAL;
            }
        }
    }

    private int poll(Guest guest, long handle, int fd, int sampleFn, int ctx, int bufPtr, int bufLength,
                     int timeoutMs) throws GuestFault, BpfException {
        object(handle);
        var entry = handles.map(fd);
        if (entry == null || entry.object() != handle) {
            return -WasiErrno.EBADF;
        }
        var type = entry.map().type();
        if (type != MapType.RINGBUF && type != MapType.PERF_EVENT_ARRAY) {
            return -WasiErrno.EINVAL;
        }
        GuestPointers.check(guest.memory(), bufPtr, bufLength);
        GuestFunction callback = guest.tableFunction(sampleFn, SAMPLE_PARAMS, SAMPLE_RESULTS);
        if (callback == null) {
            return -WasiErrno.EINVAL;
        }
        if (polling) {
            return -WasiErrno.EBUSY; // a callback polling again would re-enter the buffer being consumed
        }
        EventBuffer buffer = entry.map().buffer();
        polling = true;
        try {
            delivery.start(guest.memory(), callback, ctx, bufPtr, bufLength);
            return pollSliced(buffer, timeoutMs);
        } finally {
            delivery.finish();
            polling = false;
            samplesDelivered = delivery.delivered;
            lostByBuffer.put(buffer, buffer.lostSamples());
            samplesLost = lostByBuffer.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Polls in slices of at most {@link #POLL_SLICE_MS} until samples arrive or the timeout passes. */
    private int pollSliced(EventBuffer buffer, int timeoutMs) {
        long deadline = timeoutMs < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            long remainingMs = timeoutMs < 0 ? POLL_SLICE_MS : (deadline - System.nanoTime()) / 1_000_000L;
            int rc = buffer.poll((int) Math.max(0, Math.min(POLL_SLICE_MS, remainingMs)), delivery);
            delivery.rethrowGuestFailure();
            if (delivery.stoppedWith != 0) {
                return delivery.stoppedWith; // the callback's own negative value, unchanged
            }
            if (Thread.currentThread().isInterrupted() || rc == -4 /* Linux EINTR */) {
                throw new GuestInterruptedException();
            }
            if (rc != 0 || remainingMs <= 0) {
                return WasiErrno.fromLinuxResult(rc);
            }
        }
    }

    private LoadedObject object(long handle) throws GuestFault {
        LoadedObject object = handles.object(handle);
        if (object == null) {
            throw new GuestFault(WasiErrno.EBADF);
        }
        return object;
    }

    private int closeObject(long handle) throws GuestFault {
        object(handle);
        if (polling) {
            return -WasiErrno.EBUSY; // closing from a sample callback would free the buffer being polled
        }
        handles.removeObject(handle).close();
        refreshIds();
        return 0;
    }

    private void refreshIds() {
        kernelIds = handles.objects().stream().map(LoadedObject::ids).toList();
    }

    /**
     * Copies each sample into the guest's buffer (truncated to its size) and calls the guest's callback through the
     * function table. Reused across polls: no allocation per sample.
     */
    private static final class SampleDelivery implements SampleHandler {
        /** Samples up to this size are copied with 8-byte writes; larger ones through a byte array. */
        private static final int WORD_COPY_LIMIT = 256;
        private final long[] args = new long[3];
        private byte[] staging = new byte[0];
        private GuestMemory memory;
        private GuestFunction callback;
        private int bufPtr;
        private int bufLength;
        int stoppedWith;
        private Throwable guestFailure;
        long delivered;

        void start(GuestMemory memory, GuestFunction callback, int ctx, int bufPtr, int bufLength) {
            this.memory = memory;
            this.callback = callback;
            this.bufPtr = bufPtr;
            this.bufLength = bufLength;
            this.stoppedWith = 0;
            this.guestFailure = null;
            args[0] = ctx;
            args[1] = bufPtr;
        }

        void finish() {
            memory = null;
            callback = null;
        }

        @Override
        public int onSample(Sample sample) {
            if (guestFailure != null || stoppedWith != 0) {
                return -1;
            }
            int length = Math.min(sample.size(), bufLength);
            try {
                copy(sample, length);
                args[2] = length;
                delivered++;
                int rc = (int) callback.call(args);
                if (rc < 0) {
                    stoppedWith = rc;
                }
                return rc < 0 ? rc : 0;
            } catch (Throwable t) {
                // a trap or an interrupt inside the guest: stop the poll here, rethrow once out of native code
                guestFailure = t;
                return -1;
            }
        }

        private void copy(Sample sample, int length) {
            if (length <= WORD_COPY_LIMIT) {
                int i = 0;
                for (; i + 8 <= length; i += 8) {
                    memory.writeLong(bufPtr + i, sample.getLong(i));
                }
                for (; i < length; i++) {
                    memory.writeByte(bufPtr + i, sample.getByte(i));
                }
            } else {
                if (staging.length < length) {
                    staging = new byte[length];
                }
                sample.copyTo(0, staging, 0, length);
                memory.write(bufPtr, staging, 0, length);
            }
        }

        void rethrowGuestFailure() {
            Throwable t = guestFailure;
            if (t != null) {
                guestFailure = null;
                if (t instanceof RuntimeException r) {
                    throw r;
                }
                if (t instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(t);
            }
        }
    }
}
