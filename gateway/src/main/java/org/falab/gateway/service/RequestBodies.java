package org.falab.gateway.service;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Request bodies are UTF-8 JSON (RFC 8259); bytes that are not UTF-8 are refused, not replaced. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * The text of a body.
     *
     * @throws InvalidRequestException naming {@code body} when it is not valid UTF-8
     */
    public static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body == null ? new byte[0] : body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("body", "is not valid UTF-8 (JSON must be UTF-8)");
        }
    }
}
