package org.falab.gateway.auth;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.falab.contracts.auth.Claims;
import org.falab.contracts.json.FieldViolation;
import org.falab.gateway.service.InvalidSpecException;

/**
 * The optional {@code project} field of a run or sweep submission: taken out of the body before the rest is read
 * as a spec (or a sweep), since it says where the run belongs, not how it trains.
 */
public final class ProjectField {

    public static final String NAME = "project";

    private ProjectField() {
    }

    /**
     * Removes {@code project} from a JSON object and returns it, {@link Claims#DEFAULT_PROJECT} when absent.
     *
     * @throws InvalidSpecException naming {@code project} when it is not a project name
     */
    public static String take(JsonNode body) {
        if (!(body instanceof ObjectNode object) || !object.has(NAME)) {
            return Claims.DEFAULT_PROJECT;
        }
        JsonNode value = object.remove(NAME);
        if (!value.isTextual() || !value.textValue().matches(Claims.PROJECT_PATTERN)) {
            List<FieldViolation> errors = List.of(
                    new FieldViolation(NAME, "must be a string matching " + Claims.PROJECT_PATTERN));
            throw new InvalidSpecException(InvalidSpecException.countOf(errors, ""), errors);
        }
        return value.textValue();
    }
}
