package io.bpfwasm.bpf;

/** Kernel map types bpfwasm knows by name; everything else is {@link #OTHER}. */
public enum MapType {
    HASH(1), ARRAY(2), PROG_ARRAY(3), PERF_EVENT_ARRAY(4), PERCPU_HASH(5), PERCPU_ARRAY(6), LRU_HASH(9),
    LRU_PERCPU_HASH(10), RINGBUF(27), OTHER(-1);

    private final int kernelValue;

    MapType(int kernelValue) {
        this.kernelValue = kernelValue;
    }

    public int kernelValue() {
        return kernelValue;
    }

    public static MapType fromKernel(int value) {
        for (MapType t : values()) {
            if (t.kernelValue == value) {
                return t;
            }
        }
        return OTHER;
    }
}
