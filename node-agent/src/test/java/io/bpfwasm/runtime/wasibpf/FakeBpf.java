package io.bpfwasm.runtime.wasibpf;

import io.bpfwasm.bpf.AttachPoint;
import io.bpfwasm.bpf.BpfException;
import io.bpfwasm.bpf.BpfMap;
import io.bpfwasm.bpf.EventBuffer;
import io.bpfwasm.bpf.MapType;
import io.bpfwasm.bpf.Sample;
import io.bpfwasm.bpf.SampleHandler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An in-memory eBPF backend: objects with program "prog" and maps "counts" (hash, u32 -> u64) and "events" (ring
 * buffer fed by {@link FakeObject#events}). ELF bytes starting with "BAD" fail to load. Test double only.
 */
final class FakeBpf implements BpfBackend {
    final List<FakeObject> loaded = new ArrayList<>();

    @Override
    public LoadedObject load(byte[] elf, String name, Consumer<String> log) throws BpfException {
        if (elf.length >= 3 && elf[0] == 'B' && elf[1] == 'A' && elf[2] == 'D') {
            log.accept("libbpf: elf: garbage");
            throw new BpfException("object " + name + ": cannot open the ELF object: invalid", 4001);
        }
        var o = new FakeObject();
        loaded.add(o);
        return o;
    }

    static final class FakeObject implements LoadedObject {
        final List<String> attached = new ArrayList<>();
        final Deque<byte[]> events = new ArrayDeque<>();
        final FakeHash counts = new FakeHash();
        final FakeRing ring = new FakeRing(events);
        boolean closed;

        @Override
        public void attach(String program, String target) throws BpfException {
            if (!program.equals("prog")) {
                throw new BpfException("program " + program + ": no such program", 2);
            }
            attached.add(program + "@" + target);
        }

        @Override
        public AttachPoint attachPoint(String program, String target) throws BpfException {
            if (!program.equals("prog")) {
                throw new BpfException("program " + program + ": no such program", 2);
            }
            return target != null && target.startsWith("xdp:")
                    ? new AttachPoint("xdp", AttachPoint.Subject.INTERFACE, target.substring(4))
                    : new AttachPoint("tracepoint", AttachPoint.Subject.NONE, "");
        }

        @Override
        public LoadedMap map(String name) throws BpfException {
            return switch (name) {
                case "counts" -> counts;
                case "events" -> ring;
                default -> throw new BpfException("map " + name + ": no such map", 2);
            };
        }

        @Override
        public KernelIds ids() {
            return new KernelIds(List.of(1), List.of(2, 3), List.of());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final class FakeHash implements LoadedMap {
        final Map<Integer, byte[]> entries = new LinkedHashMap<>();
        long lastFlags;

        @Override
        public MapType type() {
            return MapType.HASH;
        }

        @Override
        public int keySize() {
            return 4;
        }

        @Override
        public int valueSize() {
            return 8;
        }

        private static int key(byte[] k) {
            return ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }

        @Override
        public int lookup(byte[] key, byte[] value) {
            byte[] v = entries.get(key(key));
            if (v == null) {
                return -2;
            }
            System.arraycopy(v, 0, value, 0, 8);
            return 0;
        }

        @Override
        public int update(byte[] key, byte[] value, long flags) {
            lastFlags = flags;
            if (flags == 1 && entries.containsKey(key(key))) {
                return -17;
            }
            entries.put(key(key), Arrays.copyOf(value, 8));
            return 0;
        }

        @Override
        public int delete(byte[] key) {
            return entries.remove(key(key)) == null ? -2 : 0;
        }

        @Override
        public int nextKey(byte[] key, byte[] nextKey) {
            var keys = new ArrayList<>(entries.keySet());
            int i = key == null ? 0 : keys.indexOf(key(key)) + 1;
            if (i >= keys.size()) {
                return -2;
            }
            ByteBuffer.wrap(nextKey).order(ByteOrder.LITTLE_ENDIAN).putInt(keys.get(i));
            return 0;
        }

        @Override
        public EventBuffer buffer() throws BpfException {
            throw new BpfException("map counts: not a ring buffer", 22);
        }
    }

    static final class FakeRing implements LoadedMap, EventBuffer {
        private final Deque<byte[]> events;
        int polls;

        FakeRing(Deque<byte[]> events) {
            this.events = events;
        }

        @Override
        public MapType type() {
            return MapType.RINGBUF;
        }

        @Override
        public int keySize() {
            return 0;
        }

        @Override
        public int valueSize() {
            return 0;
        }

        @Override
        public int lookup(byte[] key, byte[] value) {
            return -22;
        }

        @Override
        public int update(byte[] key, byte[] value, long flags) {
            return -22;
        }

        @Override
        public int delete(byte[] key) {
            return -22;
        }

        @Override
        public int nextKey(byte[] key, byte[] nextKey) {
            return -22;
        }

        @Override
        public EventBuffer buffer() {
            return this;
        }

        @Override
        public int poll(int timeoutMs, SampleHandler handler) {
            polls++;
            if (Thread.currentThread().isInterrupted()) {
                return -4;
            }
            if (events.isEmpty()) {
                try {
                    Thread.sleep(Math.max(0, timeoutMs));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -4;
                }
                return 0;
            }
            int n = 0;
            while (!events.isEmpty()) {
                byte[] data = events.poll();
                n++;
                int rc = handler.onSample(new ArraySample(data));
                if (rc < 0) {
                    return rc;
                }
            }
            return n;
        }

        @Override
        public long lostSamples() {
            return 0;
        }

        @Override
        public BpfMap map() {
            return null;
        }

        @Override
        public void close() {}
    }

    record ArraySample(byte[] data) implements Sample {
        @Override
        public int size() {
            return data.length;
        }

        @Override
        public byte getByte(int offset) {
            return data[offset];
        }

        @Override
        public long getLong(int offset) {
            return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong(offset);
        }

        @Override
        public void copyTo(int offset, byte[] dst, int dstOffset, int length) {
            System.arraycopy(data, offset, dst, dstOffset, length);
        }
    }
}
