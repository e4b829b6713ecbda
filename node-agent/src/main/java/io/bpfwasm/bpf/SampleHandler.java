package io.bpfwasm.bpf;

/** Receives the samples of one poll. A negative return stops the poll and becomes its result. */
@FunctionalInterface
public interface SampleHandler {
    int onSample(Sample sample);
}
