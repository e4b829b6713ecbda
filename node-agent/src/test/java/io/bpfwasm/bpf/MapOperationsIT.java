package io.bpfwasm.bpf;

import static io.bpfwasm.bpf.NativeBuild.readU64;
import static io.bpfwasm.bpf.NativeBuild.u32;
import static io.bpfwasm.bpf.NativeBuild.u64;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Element operations on a real hash map and array map (native/tests/bpf_maps.bpf.c). */
class MapOperationsIT {
    private static final long BPF_ANY = 0;
    private static final long BPF_NOEXIST = 1;
    private static final long BPF_EXIST = 2;
    private static final int ENOENT = 2;
    private static final int EEXIST = 17;
    private static final int EINVAL = 22;
    private static final int E2BIG = 7;

    private BpfObject object;
    private BpfMap counts;
    private BpfMap slots;

    @BeforeEach
    void load() throws BpfException {
        object = BpfObject.load(NativeBuild.bytes("bpf_maps.bpf.o"), "maps", line -> {});
        counts = object.map("counts");
        slots = object.map("slots");
    }

    @AfterEach
    void close() {
        object.close();
    }

    @Test
    void describesTheMaps() {
        assertThat(counts.type()).isEqualTo(MapType.HASH);
        assertThat(counts.keySize()).isEqualTo(4);
        assertThat(counts.valueSize()).isEqualTo(8);
        assertThat(counts.userValueSize()).isEqualTo(8);
        assertThat(counts.maxEntries()).isEqualTo(16);
        assertThat(slots.type()).isEqualTo(MapType.ARRAY);
        assertThat(slots.maxEntries()).isEqualTo(4);
        assertThat(counts.id()).isPositive().isNotEqualTo(slots.id());
        assertThat(object.maps()).extracting(BpfMap::name).contains("counts", "slots");
    }

    @Test
    void hashMapRoundTrips() {
        byte[] value = new byte[8];
        assertThat(counts.lookup(u32(7), value)).isEqualTo(-ENOENT);
        assertThat(counts.update(u32(7), u64(42), BPF_ANY)).isZero();
        assertThat(counts.lookup(u32(7), value)).isZero();
        assertThat(readU64(value)).isEqualTo(42);

        assertThat(counts.update(u32(7), u64(1), BPF_NOEXIST)).isEqualTo(-EEXIST);
        assertThat(counts.update(u32(8), u64(1), BPF_EXIST)).isEqualTo(-ENOENT);
        assertThat(counts.update(u32(7), u64(43), BPF_EXIST)).isZero();
        assertThat(counts.lookup(u32(7), value)).isZero();
        assertThat(readU64(value)).isEqualTo(43);

        assertThat(counts.delete(u32(7))).isZero();
        assertThat(counts.delete(u32(7))).isEqualTo(-ENOENT);
        assertThat(counts.lookup(u32(7), value)).isEqualTo(-ENOENT);
    }

    @Test
    void iteratesAllKeys() {
        Set<Integer> written = Set.of(1, 2, 3, 100, 65536);
        for (int key : written) {
            assertThat(counts.update(u32(key), u64(key), BPF_ANY)).isZero();
        }
        Set<Integer> seen = new HashSet<>();
        byte[] key = null;
        byte[] next = new byte[4];
        int result;
        while ((result = counts.nextKey(key, next)) == 0) {
            seen.add((next[0] & 0xff) | (next[1] & 0xff) << 8 | (next[2] & 0xff) << 16 | (next[3] & 0xff) << 24);
            key = next.clone();
        }
        assertThat(result).isEqualTo(-ENOENT);
        assertThat(seen).isEqualTo(written);
    }

    @Test
    void hashMapIsBounded() {
        for (int key = 0; key < 16; key++) {
            assertThat(counts.update(u32(key), u64(key), BPF_ANY)).isZero();
        }
        assertThat(counts.update(u32(16), u64(16), BPF_ANY)).isEqualTo(-E2BIG);
    }

    @Test
    void arrayMapRoundTrips() {
        byte[] value = new byte[8];
        assertThat(slots.lookup(u32(3), value)).isZero();
        assertThat(readU64(value)).isZero();
        assertThat(slots.update(u32(3), u64(-1L), BPF_ANY)).isZero();
        assertThat(slots.lookup(u32(3), value)).isZero();
        assertThat(readU64(value)).isEqualTo(-1L);
        assertThat(slots.lookup(u32(4), value)).isEqualTo(-ENOENT);
        assertThat(slots.update(u32(4), u64(1), BPF_ANY)).isEqualTo(-E2BIG);
        assertThat(slots.update(u32(0), u64(1), BPF_NOEXIST)).isEqualTo(-EEXIST);
        assertThat(slots.delete(u32(0))).isEqualTo(-EINVAL); // array elements cannot be deleted
    }

    @Test
    void shortOrMissingArraysAreRejectedBeforeTheKernel() {
        assertThat(counts.lookup(new byte[3], new byte[8])).isEqualTo(-EINVAL);
        assertThat(counts.lookup(u32(1), new byte[7])).isEqualTo(-EINVAL);
        assertThat(counts.lookup(null, new byte[8])).isEqualTo(-EINVAL);
        assertThat(counts.lookup(u32(1), null)).isEqualTo(-EINVAL);
        assertThat(counts.update(u32(1), new byte[4], BPF_ANY)).isEqualTo(-EINVAL);
        assertThat(counts.update(u32(1), null, BPF_ANY)).isEqualTo(-EINVAL);
        assertThat(counts.delete(new byte[2])).isEqualTo(-EINVAL);
        assertThat(counts.delete(null)).isEqualTo(-EINVAL);
        assertThat(counts.nextKey(new byte[1], new byte[4])).isEqualTo(-EINVAL);
        assertThat(counts.nextKey(null, new byte[3])).isEqualTo(-EINVAL);
        assertThat(counts.nextKey(null, null)).isEqualTo(-EINVAL);
    }

    @Test
    void unknownFlagsAreTheKernelsEinval() {
        assertThat(counts.update(u32(1), u64(1), 1L << 40)).isEqualTo(-EINVAL);
    }

    @Test
    void lookupsCostOneSyscall() {
        assertThat(counts.update(u32(1), u64(1), BPF_ANY)).isZero();
        byte[] key = u32(1);
        byte[] value = new byte[8];
        for (int round = 1; round <= 3; round++) {
            int n = 100_000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (counts.lookup(key, value) != 0) {
                    throw new AssertionError("lookup failed");
                }
            }
            System.out.printf("hash map lookup round %d: %.0f ns/lookup%n", round,
                    (double) (System.nanoTime() - start) / n);
        }
        assertThat(readU64(value)).isEqualTo(1);
    }

    @Test
    void longerArraysUseTheirPrefix() {
        byte[] key = new byte[16];
        key[0] = 5;
        assertThat(counts.update(key, u64(55), BPF_ANY)).isZero();
        byte[] value = new byte[32];
        assertThat(counts.lookup(u32(5), value)).isZero();
        assertThat(value[0]).isEqualTo((byte) 55);
        assertThat(value[8]).isZero();
    }
}
