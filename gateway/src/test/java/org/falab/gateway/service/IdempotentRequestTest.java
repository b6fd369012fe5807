package org.falab.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The Idempotency-Key header's rules, the body hash, and strict UTF-8 bodies. */
class IdempotentRequestTest {

    private static final byte[] BODY = "{\"dataset\": \"mnist\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void noHeaderIsNoKey() {
        assertThat(IdempotentRequest.of(null, BODY)).isNull();
        assertThat(IdempotentRequest.of(List.of(), BODY)).isNull();
    }

    @Test
    void theHashIsTheSha256OfTheBytesInLowercaseHex() {
        assertThat(IdempotentRequest.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        IdempotentRequest request = IdempotentRequest.of(List.of("key-1"), BODY);
        assertThat(request.key()).isEqualTo("key-1");
        assertThat(request.requestHash()).matches("[0-9a-f]{64}").isEqualTo(IdempotentRequest.sha256(BODY));
        assertThat(IdempotentRequest.of(List.of("key-1"), "{\"dataset\":\"mnist\"}".getBytes()).requestHash())
                .as("other bytes, other hash").isNotEqualTo(request.requestHash());
    }

    @Test
    void badKeysNameTheHeader() {
        for (List<String> header : List.of(List.of(""), List.of("   "), List.of("k".repeat(256)), List.of("a\tb"),
                List.of("caf\u00e9"), List.of("a\u007f"), List.of("a", "b"))) {
            assertThatThrownBy(() -> IdempotentRequest.of(header, BODY)).as(header.toString())
                    .isInstanceOfSatisfying(InvalidRequestException.class,
                            e -> assertThat(e.errors().get(0).field()).isEqualTo("Idempotency-Key"));
        }
        assertThat(IdempotentRequest.of(List.of("k".repeat(255)), BODY).key()).hasSize(255);
        assertThat(IdempotentRequest.of(List.of("a key with spaces"), BODY).key()).isEqualTo("a key with spaces");
    }

    @Test
    void bodiesMustBeUtf8() {
        assertThat(RequestBodies.utf8("{\"x\": \"\u00e9\"}".getBytes(StandardCharsets.UTF_8))).contains("\u00e9");
        assertThat(RequestBodies.utf8(new byte[0])).isEmpty();
        for (byte[] bad : List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0xaf},
                new byte[] {'a', (byte) 0xe2, (byte) 0x82}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})) {
            assertThatThrownBy(() -> RequestBodies.utf8(bad)).isInstanceOfSatisfying(InvalidRequestException.class,
                    e -> assertThat(e.errors().get(0).field()).isEqualTo("body"));
        }
    }
}
