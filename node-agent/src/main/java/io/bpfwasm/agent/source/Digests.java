package io.bpfwasm.agent.source;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Module digests: "sha256:" and 64 lowercase hex digits of the .wasm bytes. */
public final class Digests {
    private static final Pattern SHA256 = Pattern.compile("^sha256:[0-9a-f]{64}$");

    private Digests() {}

    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public static boolean isValid(String digest) {
        return digest != null && SHA256.matcher(digest).matches();
    }

    /** The first 12 hex digits, for messages. */
    public static String shortForm(String digest) {
        int colon = digest.indexOf(':');
        return digest.substring(colon + 1, Math.min(digest.length(), colon + 13));
    }
}
