package io.bpfwasm.runtime.wasm;

/** WebAssembly linear memory arithmetic. */
public final class WasmPages {
    public static final int PAGE_SIZE = 65536;
    /** wasm32 addresses 4 GiB at most; engines may allow less. */
    public static final long MAX_PAGES = 65536;

    private WasmPages() {}

    /** Whole pages that fit into bytes, at most {@link #MAX_PAGES}. */
    public static int pagesWithin(long bytes) {
        return (int) Math.min(MAX_PAGES, bytes / PAGE_SIZE);
    }
}
