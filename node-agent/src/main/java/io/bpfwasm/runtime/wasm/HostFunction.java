package io.bpfwasm.runtime.wasm;

import java.util.List;

/**
 * A function the host provides to guests as import {@code module.name}.
 *
 * @param results empty or one value type
 */
public record HostFunction(String module, String name, List<ValueType> params, List<ValueType> results,
                           Implementation implementation) {

    public HostFunction {
        params = List.copyOf(params);
        results = List.copyOf(results);
        if (results.size() > 1) {
            throw new IllegalArgumentException(module + "." + name + ": at most one result");
        }
    }

    /** The host side of the call; runs on the guest's thread. */
    @FunctionalInterface
    public interface Implementation {
        /**
         * @param args the arguments as raw values (i32 in the low 32 bits); do not keep the array
         * @return the result (ignored for functions without one)
         */
        long call(Guest guest, long[] args);
    }
}
