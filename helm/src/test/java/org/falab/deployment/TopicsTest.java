package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** docs/architecture.md's topic table names exactly the contract's topics (and the contract has some). */
class TopicsTest {

    @Test
    void theArchitectureDocumentListsEveryTopicOfTheContract() throws Exception {
        assertThat(Topics.contract()).hasSize(8);
        assertThat(Topics.documented()).containsExactlyInAnyOrderElementsOf(Topics.contract());
    }
}
