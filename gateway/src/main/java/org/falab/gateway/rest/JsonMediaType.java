package org.falab.gateway.rest;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.MediaType;

/** Whether a Content-Type is JSON: application/json, with or without parameters. */
final class JsonMediaType {

    private JsonMediaType() {
    }

    /** @throws NotSupportedException (415) unless the Content-Type is JSON */
    static void require(String contentType) {
        if (!isJson(contentType)) {
            throw new NotSupportedException(contentType == null ? "The request has no Content-Type; send "
                    + "application/json" : "The Content-Type must be application/json, not " + contentType);
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        try {
            return MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE)
                    && !MediaType.valueOf(contentType).isWildcardType()
                    && !MediaType.valueOf(contentType).isWildcardSubtype();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
