package org.falab.gateway.rest;

import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.falab.contracts.json.FieldViolation;
import org.falab.gateway.auth.ProjectField;
import org.falab.gateway.auth.ProjectForbiddenException;
import org.falab.gateway.auth.QuotaExceededException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Who may ask, as problems: 401 without a valid token, 403 with the wrong role or project, 429 over the quota.
 * Authentication is lazy ({@code quarkus.http.auth.proactive=false}) so that these reach JAX-RS mappers instead of
 * Vert.x's bare 401. A 401 never says what was wrong with a token beyond the category (the log says it).
 */
public class AuthProblemMappers {

    private static final Logger LOG = Logger.getLogger(AuthProblemMappers.class);
    private static final String CHALLENGE = "Bearer realm=\"falab\"";

    /** No token at all. */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return withChallenge(Problem.response(401, "unauthorized", "Unauthorized", "This endpoint needs a bearer "
                + "token: Authorization: Bearer <token> (./falab token mints one for the local stack).",
                uri.getPath(), List.of(new FieldViolation(HttpHeaders.AUTHORIZATION, "is required"))));
    }

    /** A token that is expired, badly signed, of another issuer, unsigned or not a JWT. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        LOG.debugf(e, "token refused on %s", uri.getPath());
        return withChallenge(Problem.response(401, "invalid-token", "Unauthorized", "The bearer token is not "
                + "valid: expired, not signed by this gateway's key, of another issuer, or not a signed JWT.",
                uri.getPath(), List.of(new FieldViolation(HttpHeaders.AUTHORIZATION, "is not a valid token"))));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problem.response(403, "forbidden", "Forbidden", "Your token's roles do not allow this request "
                + "(viewer reads; researcher also submits and cancels their own runs; admin everything).",
                uri.getPath(), null);
    }

    @ServerExceptionMapper
    public Response projectForbidden(ProjectForbiddenException e, UriInfo uri) {
        return Problem.response(403, "project-forbidden", "Forbidden", e.getMessage(), uri.getPath(),
                List.of(new FieldViolation(ProjectField.NAME, e.getMessage())));
    }

    @ServerExceptionMapper
    public Response quotaExceeded(QuotaExceededException e, UriInfo uri) {
        return Response.fromResponse(Problem.response(429, "quota-exceeded", "Too many active runs",
                e.getMessage(), uri.getPath(), null))
                .header("Retry-After", Math.max(1, e.retryAfter().toSeconds())).build();
    }

    private static Response withChallenge(Response problem) {
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }
}
