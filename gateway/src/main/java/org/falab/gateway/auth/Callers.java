package org.falab.gateway.auth;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.falab.contracts.auth.Claims;

/**
 * The {@link Caller} of the current request, from the token SmallRye JWT verified (signature, issuer, expiry)
 * before any resource method runs ({@code quarkus.security.jaxrs.default-roles-allowed}).
 */
@ApplicationScoped
public class Callers {

    private final JsonWebToken token;

    public Callers(JsonWebToken token) {
        this.token = token;
    }

    public Caller current() {
        Set<String> projects = new HashSet<>();
        Object claim = token.getClaim(Claims.PROJECTS);
        if (claim instanceof Iterable<?> values) {
            // a JSON array of strings (jakarta.json values): their string forms are quoted
            values.forEach(v -> projects.add(unquote(v.toString())));
        } else if (claim instanceof String one) {
            projects.add(one);
        }
        Set<String> groups = token.getGroups() == null ? Set.of() : token.getGroups();
        return new Caller(token.getSubject(), groups, projects);
    }

    private static String unquote(String json) {
        return json.length() >= 2 && json.startsWith("\"") && json.endsWith("\"")
                ? json.substring(1, json.length() - 1) : json;
    }
}
