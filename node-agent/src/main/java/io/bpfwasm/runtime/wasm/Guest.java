package io.bpfwasm.runtime.wasm;

import java.util.List;

/** The calling instance, as host functions see it. */
public interface Guest {

    /** The exported linear memory ({@code memory}). */
    GuestMemory memory();

    /**
     * The function at {@code index} of the exported {@code __indirect_function_table}, if it exists and has exactly
     * the given signature; null otherwise (no table, index out of range, empty slot, other signature).
     */
    GuestFunction tableFunction(int index, List<ValueType> params, List<ValueType> results);
}
