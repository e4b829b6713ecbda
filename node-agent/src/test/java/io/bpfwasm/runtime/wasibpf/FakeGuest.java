package io.bpfwasm.runtime.wasibpf;

import io.bpfwasm.runtime.wasm.Guest;
import io.bpfwasm.runtime.wasm.GuestFunction;
import io.bpfwasm.runtime.wasm.GuestMemory;
import io.bpfwasm.runtime.wasm.ValueType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A guest made of a byte array and a table of Java callbacks, for host-module tests without an engine. */
final class FakeGuest implements Guest, GuestMemory {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final List<ValueType> SAMPLE_SIGNATURE = List.of(ValueType.I32, ValueType.I32, ValueType.I32);

    final byte[] bytes;
    private final Map<Integer, GuestFunction> sampleCallbacks = new HashMap<>();

    FakeGuest(int size) {
        bytes = new byte[size];
    }

    /** Puts a (ctx, buf, len) -> int callback at a table index. */
    void table(int index, GuestFunction callback) {
        sampleCallbacks.put(index, callback);
    }

    int putString(int addr, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, bytes, addr, b.length);
        bytes[addr + b.length] = 0;
        return addr;
    }

    @Override
    public GuestMemory memory() {
        return this;
    }

    @Override
    public GuestFunction tableFunction(int index, List<ValueType> params, List<ValueType> results) {
        if (!params.equals(SAMPLE_SIGNATURE) || !results.equals(List.of(ValueType.I32))) {
            return null;
        }
        return sampleCallbacks.get(index);
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public byte readByte(int addr) {
        return bytes[addr];
    }

    @Override
    public void writeByte(int addr, byte value) {
        bytes[addr] = value;
    }

    @Override
    public int readInt(int addr) {
        return (int) INT.get(bytes, addr);
    }

    @Override
    public void writeInt(int addr, int value) {
        INT.set(bytes, addr, value);
    }

    @Override
    public long readLong(int addr) {
        return (long) LONG.get(bytes, addr);
    }

    @Override
    public void writeLong(int addr, long value) {
        LONG.set(bytes, addr, value);
    }

    @Override
    public byte[] readBytes(int addr, int length) {
        byte[] out = new byte[length];
        System.arraycopy(bytes, addr, out, 0, length);
        return out;
    }

    @Override
    public void write(int addr, byte[] src, int offset, int length) {
        System.arraycopy(src, offset, bytes, addr, length);
    }
}
