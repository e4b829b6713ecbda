package io.bpfwasm.runtime.wasm;

/** The bytes are not a valid WebAssembly module. */
public final class InvalidModuleException extends Exception {
    public InvalidModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
