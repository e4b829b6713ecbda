package io.bpfwasm.runtime.wasm;

/**
 * A WebAssembly engine. {@link #compile} parses, validates and compiles a module once; the result is immutable and
 * can be instantiated any number of times, each instance on one thread.
 */
public interface WasmEngine {

    /** @throws InvalidModuleException when the bytes are not a valid WebAssembly module */
    GuestModule compile(byte[] wasm) throws InvalidModuleException;
}
