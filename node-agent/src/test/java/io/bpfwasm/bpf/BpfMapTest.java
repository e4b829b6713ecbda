package io.bpfwasm.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BpfMapTest {
    @Test
    void perCpuValuesTakeOneAlignedSlotPerPossibleCpu() {
        assertThat(BpfMap.userValueSize(MapType.HASH.kernelValue(), 12, 4)).isEqualTo(12);
        assertThat(BpfMap.userValueSize(MapType.PERCPU_ARRAY.kernelValue(), 12, 4)).isEqualTo(64);
        assertThat(BpfMap.userValueSize(MapType.PERCPU_HASH.kernelValue(), 8, 2)).isEqualTo(16);
        assertThat(BpfMap.userValueSize(MapType.LRU_PERCPU_HASH.kernelValue(), 1, 3)).isEqualTo(24);
    }
}
