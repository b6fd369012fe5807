package org.falab.gateway.auth;

/**
 * A submission into a project the caller does not belong to (or may only read): 403 naming {@code project}. Not a
 * 404: the caller named the project themselves, and the answer is the same whether it exists or not.
 */
public class ProjectForbiddenException extends RuntimeException {

    public ProjectForbiddenException(String project) {
        super("you may not submit runs to project " + project
                + ": it is not among the projects of your token with the researcher role");
    }
}
