package org.falab.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A submission's {@code Idempotency-Key} and the SHA-256 (lowercase hex) of its body, as they go into
 * RunRequested.idempotencyKey and requestHash. The hash is over the bytes as sent: a retry sends the same bytes.
 *
 * @param key         1 to {@link #MAX_LENGTH} printable ASCII characters
 * @param requestHash 64 lowercase hex characters
 */
public record IdempotentRequest(String key, String requestHash) {

    public static final String HEADER = "Idempotency-Key";
    /** The contract's limit (RunRequested.idempotencyKey). */
    public static final int MAX_LENGTH = 255;

    /**
     * The key of a request, or null when it has none.
     *
     * @param header every value of the header, null or empty when it is absent
     * @throws InvalidRequestException naming {@value #HEADER} when it is given twice, empty, too long or not
     *                                 printable ASCII
     */
    public static IdempotentRequest of(List<String> header, byte[] body) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        if (header.size() > 1) {
            throw new InvalidRequestException(HEADER, "must be given once, not " + header.size() + " times");
        }
        String key = header.get(0);
        if (key == null || key.isEmpty()) {
            throw new InvalidRequestException(HEADER, "must not be empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw new InvalidRequestException(HEADER, "must have at most " + MAX_LENGTH + " characters, not "
                    + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new InvalidRequestException(HEADER, "must be printable ASCII (a UUID is a good key); "
                        + "character " + i + " is not");
            }
        }
        if (key.isBlank()) {
            throw new InvalidRequestException(HEADER, "must not be blank");
        }
        return new IdempotentRequest(key, sha256(body));
    }

    /** SHA-256 of the bytes, lowercase hex. */
    public static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** SHA-256 of the UTF-8 bytes of a text. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
