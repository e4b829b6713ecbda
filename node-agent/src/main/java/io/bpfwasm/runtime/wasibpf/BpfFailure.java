package io.bpfwasm.runtime.wasibpf;

import io.bpfwasm.bpf.BpfException;
import io.bpfwasm.bpf.VerifierException;
import java.util.List;

/**
 * A failed eBPF operation of a guest, kept so the host can explain a guest that gave up after it.
 *
 * @param operation the import, e.g. "wasm_load_bpf_object"
 * @param message the eBPF layer's message, naming the object ("program handle_exec: ...")
 * @param verifierLog the verifier's log when the verifier rejected a program, else empty
 */
public record BpfFailure(String operation, String message, int linuxErrno, List<String> verifierLog) {
    public BpfFailure {
        verifierLog = List.copyOf(verifierLog);
    }

    static BpfFailure of(String operation, BpfException e) {
        var log = e instanceof VerifierException v ? v.verifierLog() : List.<String>of();
        return new BpfFailure(operation, e.getMessage(), e.errno(), log);
    }

    public boolean isLoadFailure() {
        return operation.equals(WasmBpfHost.LOAD);
    }
}
