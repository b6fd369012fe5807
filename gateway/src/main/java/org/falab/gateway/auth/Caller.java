package org.falab.gateway.auth;

import java.util.Set;

import org.falab.contracts.auth.Claims;
import org.falab.gateway.registry.Run;

/**
 * Who is asking, from their verified token, and what that lets them do (docs/auth.md): a viewer reads the runs and
 * sweeps of their projects, a researcher also submits in their projects and cancels their own runs, an admin does
 * everything in every project.
 *
 * @param user     the token's subject
 * @param roles    its {@code groups} among {@link Claims#ROLES}
 * @param projects its {@code projects} claim
 */
public record Caller(String user, Set<String> roles, Set<String> projects) {

    public Caller {
        roles = Set.copyOf(roles);
        projects = Set.copyOf(projects);
    }

    public boolean isAdmin() {
        return roles.contains(Claims.ADMIN);
    }

    /** May read the runs and sweeps of this project. */
    public boolean reads(String project) {
        return isAdmin() || projects.contains(project == null ? Claims.DEFAULT_PROJECT : project);
    }

    /** May submit runs into this project. */
    public boolean submitsTo(String project) {
        return isAdmin() || (roles.contains(Claims.RESEARCHER) && projects.contains(project));
    }

    /** May cancel this run: an admin any, a researcher their own (a run from before authentication has no owner). */
    public boolean changes(Run run) {
        return isAdmin() || (roles.contains(Claims.RESEARCHER) && user.equals(run.owner()) && reads(run.project()));
    }
}
