package io.bpfwasm.runtime.wasm;

/** A valid module that cannot be instantiated with the given host (missing import, memory above the cap, ...). */
public final class InstantiateException extends Exception {
    public InstantiateException(String message) {
        super(message);
    }

    public InstantiateException(String message, Throwable cause) {
        super(message, cause);
    }
}
