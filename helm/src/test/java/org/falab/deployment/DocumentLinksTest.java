package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every relative link of the README and of the Markdown files under docs/ and the modules names a file that exists. */
class DocumentLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyRelativeLinkResolves() throws Exception {
        List<Path> documents = new ArrayList<>(List.of(Manifests.ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.walk(Manifests.ROOT, 3)) {
            files.filter(p -> p.toString().endsWith(".md")).filter(p -> !p.toString().contains("/target/"))
                    .filter(p -> !p.toString().contains("/.falab/")).filter(p -> !p.toString().contains("/node_modules/"))
                    .forEach(documents::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : documents) {
            Matcher m = LINK.matcher(Files.readString(document));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue; // a URL or an anchor in the same page
                }
                String file = target.replaceAll("#.*$", "");
                checked++;
                if (!Files.exists(document.getParent().resolve(file).normalize())) {
                    broken.add(Manifests.ROOT.relativize(document) + ": " + target);
                }
            }
        }
        assertThat(checked).as("relative links checked").isGreaterThan(20);
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }
}
