package io.bpfwasm.runtime.wasm;

/** The value types host functions exchange with guests. */
public enum ValueType {
    I32, I64
}
