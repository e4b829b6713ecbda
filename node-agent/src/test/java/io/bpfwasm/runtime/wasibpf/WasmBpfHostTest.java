package io.bpfwasm.runtime.wasibpf;

import static io.bpfwasm.runtime.wasibpf.WasiErrno.EBADF;
import static io.bpfwasm.runtime.wasibpf.WasiErrno.EBUSY;
import static io.bpfwasm.runtime.wasibpf.WasiErrno.EEXIST;
import static io.bpfwasm.runtime.wasibpf.WasiErrno.EFAULT;
import static io.bpfwasm.runtime.wasibpf.WasiErrno.EINVAL;
import static io.bpfwasm.runtime.wasibpf.WasiErrno.ENAMETOOLONG;
import static io.bpfwasm.runtime.wasibpf.WasiErrno.ENOENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfwasm.runtime.wasm.GuestInterruptedException;
import io.bpfwasm.runtime.wasm.HostFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wasm_bpf rules (bounds, handles, errno, delivery) against an in-memory backend and guest. */
class WasmBpfHostTest {
    static final int MEM = 65536;
    static final int ELF = 100;
    static final int NAME = 1000;
    static final int KEY = 2000;
    static final int VALUE = 2100;
    static final int BUF = 3000;
    static final int FN = 5;

    final FakeBpf bpf = new FakeBpf();
    final List<String> log = new ArrayList<>();
    final WasmBpfHost host = new WasmBpfHost(bpf, "test", log::add);
    final FakeGuest guest = new FakeGuest(MEM);

    long call(String name, long... args) {
        for (HostFunction f : host.functions()) {
            if (f.name().equals(name)) {
                assertThat(f.params()).hasSize(args.length);
                return f.implementation().call(guest, args);
            }
        }
        throw new AssertionError("no import " + name);
    }

    long load() {
        guest.putString(ELF, "ELF");
        long h = call("wasm_load_bpf_object", ELF, 4);
        assertThat(h).isPositive();
        return h;
    }

    int mapFd(long obj, String name) {
        return (int) call("wasm_bpf_map_fd_by_name", obj, guest.putString(NAME, name));
    }

    @Test
    void hasAllSixImportsWithTheAbiSignatures() {
        assertThat(host.functions()).extracting(f -> f.module() + "." + f.name() + f.params() + f.results())
                .containsExactly(
                        "wasm_bpf.wasm_load_bpf_object[I32, I32][I64]",
                        "wasm_bpf.wasm_attach_bpf_program[I64, I32, I32][I32]",
                        "wasm_bpf.wasm_bpf_buffer_poll[I64, I32, I32, I32, I32, I32, I32][I32]",
                        "wasm_bpf.wasm_bpf_map_fd_by_name[I64, I32][I32]",
                        "wasm_bpf.wasm_bpf_map_operate[I32, I32, I32, I32, I32, I64][I32]",
                        "wasm_bpf.wasm_close_bpf_object[I64][I32]");
    }

    @Test
    void everyAttachIsCheckedAgainstThePolicyAndADenialIsEpermWithTheReasonLogged() {
        var policy = AttachPolicy.of(List.of("xdp"), List.of("interface:veth*"));
        var strict = new WasmBpfHost(bpf, "test", log::add, policy);
        guest.putString(ELF, "ELF");
        long obj = call(strict, "wasm_load_bpf_object", ELF, 4);
        int name = guest.putString(NAME, "prog");
        assertThat(call(strict, "wasm_attach_bpf_program", obj, name, guest.putString(1500, "xdp:veth0"))).isZero();
        assertThat(call(strict, "wasm_attach_bpf_program", obj, name, guest.putString(1500, "xdp:eth0")))
                .isEqualTo(-WasiErrno.EPERM);
        assertThat(call(strict, "wasm_attach_bpf_program", obj, name, 0)).isEqualTo(-WasiErrno.EPERM);
        assertThat(bpf.loaded.getFirst().attached).containsExactly("prog@xdp:veth0");
        assertThat(strict.lastFailure().linuxErrno()).isEqualTo(1);
        assertThat(log).contains(
                "wasm_attach_bpf_program: program prog: attach denied by the policy: interface eth0 is not an "
                        + "allowed xdp target (allowed: interface:veth*)",
                "wasm_attach_bpf_program: program prog: attach denied by the policy: program type tracepoint is not "
                        + "allowed (allowed: xdp)");
        strict.close();
    }

    long call(WasmBpfHost h, String name, long... args) {
        for (HostFunction f : h.functions()) {
            if (f.name().equals(name)) {
                return f.implementation().call(guest, args);
            }
        }
        throw new AssertionError("no import " + name);
    }

    @Test
    void loadRejectsRangesOutsideMemoryAndReportsBadElf() {
        assertThat(call("wasm_load_bpf_object", MEM - 2, 4)).isZero();
        assertThat(call("wasm_load_bpf_object", 0xFFFFFF00L, 16)).isZero();
        assertThat(call("wasm_load_bpf_object", ELF, -1)).isZero();
        guest.putString(ELF, "BAD");
        assertThat(call("wasm_load_bpf_object", ELF, 4)).isZero();
        assertThat(host.lastFailure().operation()).isEqualTo("wasm_load_bpf_object");
        assertThat(host.lastFailure().isLoadFailure()).isTrue();
        assertThat(log).anyMatch(l -> l.contains("outside guest memory")).anyMatch(l -> l.contains("garbage"));
        assertThat(bpf.loaded).isEmpty();
        long a = load();
        long b = load();
        assertThat(b).isNotEqualTo(a);
        assertThat(host.kernelIds()).hasSize(2);
    }

    @Test
    void attachChecksHandlesStringsAndNames() {
        long obj = load();
        int name = guest.putString(NAME, "prog");
        assertThat(call("wasm_attach_bpf_program", obj + 1, name, 0)).isEqualTo(-EBADF);
        assertThat(call("wasm_attach_bpf_program", obj + (1L << 32), name, 0)).isEqualTo(-EBADF);
        assertThat(call("wasm_attach_bpf_program", obj, 0, 0)).isEqualTo(-EINVAL);
        assertThat(call("wasm_attach_bpf_program", obj, guest.putString(NAME, "nope"), 0)).isEqualTo(-ENOENT);
        assertThat(call("wasm_attach_bpf_program", obj, MEM, 0)).isEqualTo(-EFAULT);
        assertThat(call("wasm_attach_bpf_program", obj, 0xFFFFFFF0L, 0)).isEqualTo(-EFAULT);
        Arrays.fill(guest.bytes, MEM - 8, MEM, (byte) 'x');
        assertThat(call("wasm_attach_bpf_program", obj, MEM - 8, 0)).isEqualTo(-EFAULT);
        Arrays.fill(guest.bytes, 10000, 10000 + 5000, (byte) 'a');
        assertThat(call("wasm_attach_bpf_program", obj, 10000, 0)).isEqualTo(-ENAMETOOLONG);
        guest.putString(NAME, "prog");
        assertThat(call("wasm_attach_bpf_program", obj, NAME, MEM + 5)).isEqualTo(-EFAULT);
        assertThat(call("wasm_attach_bpf_program", obj, NAME, guest.putString(1500, ""))).isZero();
        assertThat(call("wasm_attach_bpf_program", obj, NAME, guest.putString(1500, "sched:x"))).isZero();
        assertThat(bpf.loaded.getFirst().attached).containsExactly("prog@null", "prog@sched:x");
    }

    @Test
    void mapFdsAreStablePerInstanceHandles() {
        long obj = load();
        long other = load();
        int counts = mapFd(obj, "counts");
        assertThat(counts).isPositive();
        assertThat(mapFd(obj, "counts")).isEqualTo(counts);
        assertThat(mapFd(other, "counts")).isNotEqualTo(counts);
        assertThat(mapFd(obj, "missing")).isEqualTo(-ENOENT);
        assertThat(mapFd(obj + 7, "counts")).isEqualTo(-EBADF);
        guest.bytes[MEM - 1] = 'x'; // unterminated at the end of memory
        assertThat(call("wasm_bpf_map_fd_by_name", obj, MEM - 1)).isEqualTo(-EFAULT);
        assertThat(call("wasm_bpf_map_fd_by_name", obj, MEM)).isEqualTo(-EFAULT);
    }

    @Test
    void mapOperateTakesSizesFromTheMapAndChecksEveryPointer() {
        long obj = load();
        int fd = mapFd(obj, "counts");
        guest.writeInt(KEY, 7);
        guest.writeLong(VALUE, 42);
        assertThat(call("wasm_bpf_map_operate", fd, 1, KEY, VALUE + 8, 0, 0)).isEqualTo(-ENOENT);
        assertThat(call("wasm_bpf_map_operate", fd, 2, KEY, VALUE, 0, 0)).isZero();
        assertThat(call("wasm_bpf_map_operate", fd, 2, KEY, VALUE, 0, 1)).isEqualTo(-EEXIST);
        assertThat(call("wasm_bpf_map_operate", fd, 2, KEY, VALUE, 0, 1L << 40)).isZero();
        assertThat(bpf.loaded.getFirst().counts.lastFlags).isEqualTo(1L << 40); // full u64 flags
        assertThat(call("wasm_bpf_map_operate", fd, 1, KEY, VALUE + 8, 0, 0)).isZero();
        assertThat(guest.readLong(VALUE + 8)).isEqualTo(42);
        assertThat(call("wasm_bpf_map_operate", fd, 1, MEM - 2, VALUE, 0, 0)).isEqualTo(-EFAULT);
        assertThat(call("wasm_bpf_map_operate", fd, 1, KEY, MEM - 4, 0, 0)).isEqualTo(-EFAULT);
        assertThat(call("wasm_bpf_map_operate", fd, 2, KEY, MEM - 4, 0, 0)).isEqualTo(-EFAULT);
        assertThat(call("wasm_bpf_map_operate", fd, 4, 0, 0, 4000, 0)).isZero();
        assertThat(guest.readInt(4000)).isEqualTo(7);
        assertThat(call("wasm_bpf_map_operate", fd, 4, KEY, 0, 4000, 0)).isEqualTo(-ENOENT);
        assertThat(call("wasm_bpf_map_operate", fd, 4, 0, 0, MEM - 1, 0)).isEqualTo(-EFAULT);
        assertThat(call("wasm_bpf_map_operate", fd, 99, KEY, VALUE, 0, 0)).isEqualTo(-EINVAL);
        assertThat(call("wasm_bpf_map_operate", fd, 3, KEY, 0, 0, 0)).isZero();
        assertThat(call("wasm_bpf_map_operate", fd, 3, KEY, 0, 0, 0)).isEqualTo(-ENOENT);
        assertThat(call("wasm_bpf_map_operate", fd + 100, 1, KEY, VALUE, 0, 0)).isEqualTo(-EBADF);
        assertThat(call("wasm_bpf_map_operate", -1, 1, KEY, VALUE, 0, 0)).isEqualTo(-EBADF);
    }

    @Test
    void closeForgetsTheObjectAndItsMapFds() {
        long obj = load();
        int fd = mapFd(obj, "counts");
        assertThat(call("wasm_close_bpf_object", obj)).isZero();
        assertThat(bpf.loaded.getFirst().closed).isTrue();
        assertThat(call("wasm_close_bpf_object", obj)).isEqualTo(-EBADF);
        assertThat(call("wasm_close_bpf_object", 0)).isEqualTo(-EBADF);
        assertThat(call("wasm_bpf_map_operate", fd, 1, KEY, VALUE, 0, 0)).isEqualTo(-EBADF);
        assertThat(host.kernelIds()).isEmpty();
    }

    @Test
    void closingTheHostClosesEverythingLeftOpen() {
        load();
        load();
        host.close();
        assertThat(bpf.loaded).allMatch(o -> o.closed);
        assertThat(host.kernelIds()).isEmpty();
    }

    @Test
    void pollDeliversEverySampleTruncatedToTheBuffer() {
        long obj = load();
        int fd = mapFd(obj, "events");
        var seen = new ArrayList<String>();
        guest.table(FN, args -> {
            int len = (int) args[2];
            seen.add(args[0] + ":" + args[1] + ":" + len + ":" + new String(guest.readBytes((int) args[1], len)));
            return 0;
        });
        var events = bpf.loaded.getFirst().events;
        events.add("first-sample-0123456789".getBytes());
        events.add("second".getBytes());
        events.add("third-sample-is-long-enough-to-truncate".getBytes());
        assertThat(call("wasm_bpf_buffer_poll", obj, fd, FN, 77, BUF, 12, 100)).isEqualTo(3);
        assertThat(seen).containsExactly("77:3000:12:first-sample", "77:3000:6:second", "77:3000:12:third-sample");
        assertThat(host.samplesDelivered()).isEqualTo(3);
    }

    @Test
    void largeSamplesAreCopiedWhole() {
        long obj = load();
        int fd = mapFd(obj, "events");
        byte[] big = new byte[1000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        bpf.loaded.getFirst().events.add(big);
        guest.table(FN, args -> 0);
        assertThat(call("wasm_bpf_buffer_poll", obj, fd, FN, 0, BUF, 2000, 0)).isEqualTo(1);
        assertThat(guest.readBytes(BUF, 1000)).isEqualTo(big);
    }

    @Test
    void aNegativeCallbackResultStopsThePollAndIsReturnedUnchanged() {
        long obj = load();
        int fd = mapFd(obj, "events");
        var count = new int[1];
        guest.table(FN, args -> ++count[0] == 2 ? -42 : 0);
        bpf.loaded.getFirst().events.addAll(List.of(new byte[8], new byte[8], new byte[8]));
        assertThat(call("wasm_bpf_buffer_poll", obj, fd, FN, 0, BUF, 8, 0)).isEqualTo(-42);
        assertThat(count[0]).isEqualTo(2);
    }

    @Test
    void pollRejectsBadArguments() {
        long obj = load();
        long other = load();
        int ring = mapFd(obj, "events");
        int hash = mapFd(obj, "counts");
        int otherRing = mapFd(other, "events");
        guest.table(FN, args -> 0);
        assertThat(call("wasm_bpf_buffer_poll", obj, ring, FN, 0, MEM - 4, 8, 0)).isEqualTo(-EFAULT);
        assertThat(call("wasm_bpf_buffer_poll", obj, ring, FN, 0, BUF, -1, 0)).isEqualTo(-EFAULT);
        assertThat(call("wasm_bpf_buffer_poll", obj, ring, 99, 0, BUF, 8, 0)).isEqualTo(-EINVAL);
        assertThat(call("wasm_bpf_buffer_poll", obj, hash, FN, 0, BUF, 8, 0)).isEqualTo(-EINVAL);
        assertThat(call("wasm_bpf_buffer_poll", obj, otherRing, FN, 0, BUF, 8, 0)).isEqualTo(-EBADF);
        assertThat(call("wasm_bpf_buffer_poll", obj + 9, ring, FN, 0, BUF, 8, 0)).isEqualTo(-EBADF);
        assertThat(call("wasm_bpf_buffer_poll", obj, 999, FN, 0, BUF, 8, 0)).isEqualTo(-EBADF);
        assertThat(call("wasm_bpf_buffer_poll", obj, ring, FN, 0, BUF, 8, 0)).isZero();
    }

    @Test
    void callbacksCannotPollAgainOrCloseTheObjectBeingPolled() {
        long obj = load();
        int fd = mapFd(obj, "events");
        var inner = new ArrayList<Long>();
        guest.table(FN, args -> {
            inner.add(call("wasm_bpf_buffer_poll", obj, fd, FN, 0, BUF, 8, 0));
            inner.add(call("wasm_close_bpf_object", obj));
            return 0;
        });
        bpf.loaded.getFirst().events.add(new byte[8]);
        assertThat(call("wasm_bpf_buffer_poll", obj, fd, FN, 0, BUF, 8, 0)).isEqualTo(1);
        assertThat(inner).containsExactly((long) -EBUSY, (long) -EBUSY);
        assertThat(call("wasm_close_bpf_object", obj)).isZero();
    }

    @Test
    void aTrapInsideTheCallbackPropagatesAfterThePoll() {
        long obj = load();
        int fd = mapFd(obj, "events");
        guest.table(FN, args -> {
            throw new IllegalStateException("trap: unreachable");
        });
        bpf.loaded.getFirst().events.add(new byte[8]);
        assertThatThrownBy(() -> call("wasm_bpf_buffer_poll", obj, fd, FN, 0, BUF, 8, 0))
                .hasMessage("trap: unreachable");
        // not stuck in "polling": the guest (if it survived) can poll and close again
        guest.table(FN, args -> 0);
        assertThat(call("wasm_bpf_buffer_poll", obj, fd, FN, 0, BUF, 8, 0)).isZero();
    }

    @Test
    void anInterruptedPollUnwindsTheGuest() {
        long obj = load();
        int fd = mapFd(obj, "events");
        guest.table(FN, args -> 0);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> call("wasm_bpf_buffer_poll", obj, fd, FN, 0, BUF, 8, -1))
                    .isInstanceOf(GuestInterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anEndlessPollWaitsInShortSlices() throws Exception {
        long obj = load();
        int fd = mapFd(obj, "events");
        guest.table(FN, args -> 0);
        var result = new long[1];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                result[0] = call("wasm_bpf_buffer_poll", obj, fd, FN, 0, BUF, 8, -1);
            } catch (GuestInterruptedException e) {
                result[0] = Long.MIN_VALUE;
            }
        });
        Thread.sleep(350);
        assertThat(bpf.loaded.getFirst().ring.polls).isGreaterThanOrEqualTo(3);
        t.interrupt();
        t.join(1000);
        assertThat(t.isAlive()).isFalse();
        assertThat(result[0]).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void linuxErrnoBecomesWasiErrno() {
        assertThat(WasiErrno.fromLinux(4)).isEqualTo(27); // EINTR
        assertThat(WasiErrno.fromLinux(2)).isEqualTo(44); // ENOENT
        assertThat(WasiErrno.fromLinux(22)).isEqualTo(28); // EINVAL
        assertThat(WasiErrno.fromLinux(17)).isEqualTo(20); // EEXIST
        assertThat(WasiErrno.fromLinux(14)).isEqualTo(21); // EFAULT
        assertThat(WasiErrno.fromLinux(13)).isEqualTo(2); // EACCES
        assertThat(WasiErrno.fromLinux(1)).isEqualTo(63); // EPERM
        assertThat(WasiErrno.fromLinux(4001)).isEqualTo(28); // libbpf: bad object format
        assertThat(WasiErrno.fromLinux(4007)).isEqualTo(2); // libbpf: verifier
        assertThat(WasiErrno.fromLinux(9999)).isEqualTo(29); // unknown: EIO
        assertThat(WasiErrno.fromLinuxResult(-2)).isEqualTo(-44);
        assertThat(WasiErrno.fromLinuxResult(5)).isEqualTo(5);
    }
}
