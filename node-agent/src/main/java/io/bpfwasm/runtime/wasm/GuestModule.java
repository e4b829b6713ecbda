package io.bpfwasm.runtime.wasm;

/** A compiled module, shareable between threads. */
public interface GuestModule {

    /**
     * Creates an instance: links the host functions and WASI, allocates memory within the configured cap and
     * initializes the module (no guest code of the program runs yet; see {@link GuestInstance#run()}).
     *
     * @throws InstantiateException when the module cannot be linked or started: an import nobody provides, a
     *     signature mismatch, no {@code _start} or {@code memory} export, a memory minimum above the cap
     */
    GuestInstance instantiate(InstanceConfig config) throws InstantiateException;
}
