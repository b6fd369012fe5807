package org.falab.gateway.rest;

import java.util.List;

import jakarta.ws.rs.NotSupportedException;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.falab.contracts.json.ContractJson;
import org.falab.contracts.json.ContractViolationException;
import org.falab.contracts.json.FieldViolation;
import org.falab.gateway.service.InvalidRequestException;
import org.falab.gateway.service.RequestBodies;

/**
 * The optional body of a cancel: {@code {"reason": "..."}}. No body is fine (the gateway names a reason); a body
 * must be a JSON object sent as application/json.
 */
@Schema(description = "Optional: why the run is cancelled, shown with its CANCELLED event")
public record CancelRequest(@Schema(maxLength = CancelRequest.MAX_REASON) String reason) {

    /** The contract's limit (RunCancellation.reason). */
    static final int MAX_REASON = 1000;

    /**
     * The reason in a cancel's body; null when there is no body or no reason.
     *
     * @throws NotSupportedException   (415) for a body that is not application/json
     * @throws InvalidRequestException naming the field for a body that is not such an object
     */
    static String reasonOf(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            return null;
        }
        if (!JsonMediaType.isJson(contentType)) {
            throw new NotSupportedException("A cancel's body, when there is one, must be application/json");
        }
        try {
            CancelRequest request = ContractJson.readRecord(RequestBodies.utf8(body), CancelRequest.class);
            if (request.reason() != null && request.reason().length() > MAX_REASON) {
                throw new InvalidRequestException("reason", "must have at most " + MAX_REASON + " characters");
            }
            return request.reason() == null || request.reason().isBlank() ? null : request.reason();
        } catch (ContractViolationException e) {
            List<FieldViolation> errors = e.violations();
            throw new InvalidRequestException(errors.size() == 1 ? "1 field is invalid."
                    : errors.size() + " fields are invalid.", errors);
        }
    }
}
