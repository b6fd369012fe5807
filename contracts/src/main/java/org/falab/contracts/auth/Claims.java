package org.falab.contracts.auth;

import java.util.List;

/**
 * The bearer tokens' contract, shared by the gateway (which verifies them), the CLI (which mints them for the local
 * stack) and the tests: issuer, subject = user, {@code groups} = roles, {@code projects} = the projects the user
 * belongs to ({@code docs/auth.md}).
 */
public final class Claims {

    private Claims() {
    }

    /** The issuer of the local stack's tokens ({@code mp.jwt.verify.issuer} of the gateway). */
    public static final String LOCAL_ISSUER = "falab-local";
    /** The claim listing the projects a user belongs to (an admin's is ignored: admins see every project). */
    public static final String PROJECTS = "projects";
    /** The project of a run submitted without one, and of runs recorded before there were projects. */
    public static final String DEFAULT_PROJECT = "default";
    /** Project names: short, lowercase, safe in URLs and object keys. */
    public static final String PROJECT_PATTERN = "^[a-z0-9][a-z0-9._-]{0,63}$";

    /** Reads runs and sweeps of their projects. */
    public static final String VIEWER = "viewer";
    /** A viewer who also submits runs and sweeps and cancels their own. */
    public static final String RESEARCHER = "researcher";
    /** Everything, in every project. */
    public static final String ADMIN = "admin";
    public static final List<String> ROLES = List.of(VIEWER, RESEARCHER, ADMIN);
}
