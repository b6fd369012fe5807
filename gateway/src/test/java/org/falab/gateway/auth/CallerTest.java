package org.falab.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import org.falab.contracts.events.RunRequested;
import org.falab.contracts.spec.RunSpec;
import org.falab.gateway.registry.Run;
import org.falab.gateway.registry.RunRegistry;
import org.junit.jupiter.api.Test;

/** What each role may read, submit and cancel, by project and owner (the rules AccessIT checks over HTTP). */
class CallerTest {

    private static final Caller ADA = new Caller("ada", Set.of("researcher"), Set.of("vision"));
    private static final Caller VIC = new Caller("vic", Set.of("viewer"), Set.of("vision"));
    private static final Caller ROOT = new Caller("root", Set.of("admin"), Set.of());
    private static final Caller NOBODY = new Caller("eve", Set.of(), Set.of("vision"));

    @Test
    void readsByProjectSubmitsAsResearcherChangesOwnRuns() {
        assertThat(ADA.reads("vision")).isTrue();
        assertThat(ADA.reads("audio")).isFalse();
        assertThat(ADA.reads(null)).as("no project is the default project").isFalse();
        assertThat(VIC.reads("vision")).isTrue();
        assertThat(ROOT.reads("anything")).isTrue();

        assertThat(ADA.submitsTo("vision")).isTrue();
        assertThat(ADA.submitsTo("audio")).isFalse();
        assertThat(VIC.submitsTo("vision")).isFalse();
        assertThat(NOBODY.submitsTo("vision")).as("no role").isFalse();
        assertThat(ROOT.submitsTo("audio")).isTrue();

        Run adas = run("ada", "vision");
        Run bobs = run("bob", "vision");
        Run ownerless = run(null, "vision");
        assertThat(ADA.changes(adas)).isTrue();
        assertThat(ADA.changes(bobs)).isFalse();
        assertThat(ADA.changes(ownerless)).isFalse();
        assertThat(VIC.changes(run("vic", "vision"))).as("a viewer changes nothing, even their own").isFalse();
        assertThat(ROOT.changes(bobs)).isTrue();
        assertThat(ROOT.changes(ownerless)).isTrue();
        assertThat(new Caller("ada", Set.of("researcher"), Set.of("audio")).changes(adas))
                .as("their own run in a project they left").isFalse();
    }

    private static Run run(String owner, String project) {
        RunRegistry registry = new RunRegistry();
        registry.onRunRequested(new RunRequested("run-x", RunSpec.defaults(), Instant.now(), null, null,
                null, null, owner, project));
        return registry.find("run-x").orElseThrow();
    }
}
