package io.bpfwasm.runtime;

import io.bpfwasm.runtime.wasibpf.BpfBackend.KernelIds;
import io.bpfwasm.runtime.wasibpf.BpfFailure;
import java.util.List;

/**
 * A running program's state for status reports.
 *
 * @param running the guest has not ended yet
 * @param objects kernel ids of the BPF objects the guest holds open, one entry per object
 * @param samplesDelivered ring/perf buffer samples handed to the guest's callbacks
 * @param samplesLost samples the kernel reported lost (perf buffers; ring buffers drop in the producer)
 * @param lastBpfFailure the guest's last failed eBPF call, or null
 */
public record ProgramStatus(boolean running, List<KernelIds> objects, long samplesDelivered, long samplesLost,
                            BpfFailure lastBpfFailure) {
    public ProgramStatus {
        objects = List.copyOf(objects);
    }
}
