package io.bpfwasm.agent.source;

/** A module could not be fetched or did not verify; the message names the source ("oci r/x:1: ..."). */
public class SourceException extends Exception {
    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
