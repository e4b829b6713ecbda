package io.bpfwasm.runtime.wasm;

import java.util.List;
import java.util.Objects;

/**
 * How to instantiate a module.
 *
 * @param hostFunctions imports provided by the host (besides WASI)
 * @param memoryLimitBytes the most linear memory the guest may have; rounded down to whole 64 KiB pages
 * @param wasi the guest's WASI environment
 * @param activity counts the guest's crossings to and from the host (every import, callback and {@code _start})
 */
public record InstanceConfig(List<HostFunction> hostFunctions, long memoryLimitBytes, WasiConfig wasi,
                             GuestActivity activity) {
    public InstanceConfig {
        hostFunctions = List.copyOf(hostFunctions);
        Objects.requireNonNull(wasi, "wasi");
        Objects.requireNonNull(activity, "activity");
        if (memoryLimitBytes < WasmPages.PAGE_SIZE) {
            throw new IllegalArgumentException("memory limit must be at least one 64 KiB page, got " + memoryLimitBytes);
        }
    }
}
