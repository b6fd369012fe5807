package org.falab.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Kafka topics of docs/architecture.md (the topic table of "Event contract"), plus falab.alignment-results (issue 3). */
final class Topics {

    private Topics() {
    }

    static Set<String> documented() throws IOException {
        String all = Files.readString(Manifests.ROOT.resolve("docs/architecture.md"));
        int from = all.indexOf("## Event contract");
        String doc = all.substring(from, all.indexOf("\n## ", from + 1));
        Set<String> topics = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `(falab\\.[a-z.-]+)`").matcher(doc);
        while (m.find()) {
            topics.add(m.group(1));
        }
        topics.add("falab.alignment-results");
        return topics;
    }
}
