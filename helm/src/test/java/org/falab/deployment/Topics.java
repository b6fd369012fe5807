package org.falab.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka topics: the contract's ({@link org.falab.contracts.events.Topics#ALL}, what the services use), and those
 * the topic table of docs/architecture.md ("Event contract") lists; the deployment tests compare both with the
 * topics the chart and the Kustomize base create.
 */
final class Topics {

    private Topics() {
    }

    /** Every topic the services use. */
    static Set<String> contract() {
        return new TreeSet<>(org.falab.contracts.events.Topics.ALL);
    }

    /** The topics of docs/architecture.md's table, as written there. */
    static Set<String> documented() throws IOException {
        String all = Files.readString(Manifests.ROOT.resolve("docs/architecture.md"));
        int from = all.indexOf("## Event contract");
        String doc = all.substring(from, all.indexOf("\n## ", from + 1));
        Set<String> topics = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `(falab\\.[a-z.-]+)`").matcher(doc);
        while (m.find()) {
            topics.add(m.group(1));
        }
        return topics;
    }
}
