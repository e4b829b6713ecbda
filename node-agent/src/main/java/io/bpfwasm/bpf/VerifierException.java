package io.bpfwasm.bpf;

import java.util.List;

/** The kernel's verifier rejected a program; carries the verifier log lines libbpf reported. */
public final class VerifierException extends BpfException {
    private final List<String> verifierLog;

    public VerifierException(String message, int errno, List<String> verifierLog) {
        super(message, errno);
        this.verifierLog = List.copyOf(verifierLog);
    }

    public List<String> verifierLog() {
        return verifierLog;
    }
}
