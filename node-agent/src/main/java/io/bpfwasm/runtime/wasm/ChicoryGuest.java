package io.bpfwasm.runtime.wasm;

import static com.dylibso.chicory.wasm.types.Value.REF_NULL_VALUE;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.util.List;

/** The {@link Guest} view of a Chicory instance: its exported memory and function table. */
final class ChicoryGuest implements Guest, GuestMemory {
    static final String TABLE_EXPORT = "__indirect_function_table";

    private final GuestActivity activity;
    private Instance instance;
    private Memory memory;
    private TableInstance table;

    ChicoryGuest(GuestActivity activity) {
        this.activity = activity;
    }

    void bind(Instance instance) {
        this.instance = instance;
        this.memory = instance.exports().memory("memory");
        try {
            this.table = instance.exports().table(TABLE_EXPORT);
        } catch (ChicoryException e) {
            this.table = null; // guests without callbacks need no table
        }
    }

    @Override
    public GuestMemory memory() {
        return this;
    }

    @Override
    public GuestFunction tableFunction(int index, List<ValueType> params, List<ValueType> results) {
        if (table == null || index < 0 || index >= table.size()) {
            return null;
        }
        int funcId = table.ref(index);
        if (funcId == REF_NULL_VALUE || (table.instance(index) != null && table.instance(index) != instance)) {
            return null;
        }
        var expected = FunctionType.of(ChicoryModule.valTypes(params), ChicoryModule.valTypes(results));
        if (!instance.type(instance.functionType(funcId)).equals(expected)) {
            return null;
        }
        var machine = instance.getMachine();
        return args -> {
            activity.enterGuest();
            try {
                long[] r = machine.call(funcId, args);
                return r == null || r.length == 0 ? 0 : r[0];
            } finally {
                activity.enterHost();
            }
        };
    }

    @Override
    public long size() {
        return (long) memory.pages() * WasmPages.PAGE_SIZE;
    }

    long maxPages() {
        return memory.maximumPages();
    }

    @Override
    public byte readByte(int addr) {
        return memory.read(addr);
    }

    @Override
    public void writeByte(int addr, byte value) {
        memory.writeByte(addr, value);
    }

    @Override
    public int readInt(int addr) {
        return memory.readInt(addr);
    }

    @Override
    public void writeInt(int addr, int value) {
        memory.writeI32(addr, value);
    }

    @Override
    public long readLong(int addr) {
        return memory.readLong(addr);
    }

    @Override
    public void writeLong(int addr, long value) {
        memory.writeLong(addr, value);
    }

    @Override
    public byte[] readBytes(int addr, int length) {
        return memory.readBytes(addr, length);
    }

    @Override
    public void write(int addr, byte[] src, int offset, int length) {
        memory.write(addr, src, offset, length);
    }
}
