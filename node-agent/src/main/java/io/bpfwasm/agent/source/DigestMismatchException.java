package io.bpfwasm.agent.source;

/** The fetched bytes do not hash to the digest the assignment names: nothing runs. */
public final class DigestMismatchException extends SourceException {
    private final String expected;
    private final String actual;

    public DigestMismatchException(String source, String expected, String actual) {
        super(source + ": digest mismatch: the custom resource names " + expected + " but the module's sha256 is "
                + actual + "; refusing to run it");
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
