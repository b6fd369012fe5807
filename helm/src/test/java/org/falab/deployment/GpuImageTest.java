package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * k8s/images/trainer-gpu/Dockerfile, read as text (no Docker engine here): a plain OS/JRE base pinned by digest,
 * not a CUDA image (libtorch bundles its CUDA libraries), and every download checked against a sha256.
 */
class GpuImageTest {

    static final java.nio.file.Path DOCKERFILE = Manifests.ROOT.resolve("k8s/images/trainer-gpu/Dockerfile");

    @Test
    void theGpuImageIsPinnedAndHasNoCudaBase() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(problems(dockerfile)).isEmpty();
        List<String> instructions = instructions(dockerfile);
        assertThat(instructions).filteredOn(i -> i.startsWith("FROM ")).singleElement().asString()
                .isEqualTo("FROM ${BASE_IMAGE}@${BASE_DIGEST}");
        assertThat(instructions).anyMatch(i -> i.matches("ARG BASE_IMAGE=.*eclipse-temurin:17-jre-.*"));
        // what the PyTorch engine needs at runtime besides libtorch: the OpenMP runtime
        assertThat(dockerfile).contains("libgomp1");
        // the environment the chart's GPU trainer sets too (values-gpu.yaml, HelmChartTest)
        assertThat(dockerfile).contains("PYTORCH_LIBRARY_PATH=/opt/libtorch/lib", "PYTORCH_VERSION=2.7.1",
                "PYTORCH_FLAVOR=cu128", "NVIDIA_DRIVER_CAPABILITIES=compute,utility").contains("USER 185");
    }

    /** The checks see what they are for: a CUDA base, a base without digest, an unchecked download. */
    @Test
    void aCudaBaseOrAnUnpinnedDownloadIsFound() {
        assertThat(problems("FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04\n"))
                .anyMatch(p -> p.contains("CUDA base")).anyMatch(p -> p.contains("digest"));
        assertThat(problems("FROM eclipse-temurin:17-jre-noble\n")).singleElement().asString().contains("digest");
        assertThat(problems("FROM x@sha256:abc\nRUN curl -fsSL -o /tmp/a.zip https://example.org/a.zip && unzip /tmp/a.zip\n"))
                .singleElement().asString().contains("not checked");
        assertThat(problems("FROM x@sha256:abc\nADD https://example.org/a.tgz /opt/\n")).singleElement().asString()
                .contains("ADD");
        assertThat(problems("FROM x@sha256:abc\nARG A_SHA256=0123\nRUN curl -o /a https://e.org/a && echo \"$A_SHA256  /a\" | sha256sum -c -\n"))
                .singleElement().asString().contains("not a sha256");
        assertThat(problems("FROM x@sha256:abc\nARG A_SHA256\nRUN curl -o /a https://e.org/a && echo \"$A_SHA256  /a\" | sha256sum -c -\n"))
                .singleElement().asString().contains("does not require");
    }

    /** What is wrong with a Dockerfile: CUDA base, base without digest, downloads without a sha256 check. */
    static List<String> problems(String dockerfile) {
        List<String> problems = new ArrayList<>();
        for (String i : instructions(dockerfile)) {
            if (i.startsWith("FROM ")) {
                if (i.toLowerCase().contains("cuda")) {
                    problems.add("a CUDA base image duplicates the CUDA libraries libtorch bundles: " + i);
                }
                if (!i.contains("@sha256:") && !i.contains("@${")) {
                    problems.add("base image without a digest: " + i);
                }
            } else if (i.startsWith("ADD ") && i.matches("(?s).*https?://.*")) {
                problems.add("ADD of a URL cannot be checked: download with curl and sha256sum -c: " + i);
            } else if (i.startsWith("RUN ") && i.matches("(?s).*\\b(curl|wget)\\b.*")
                    && !i.matches("(?s).*sha256sum -c.*")) {
                problems.add("a download that is not checked against a sha256: " + i);
            } else if (i.matches("ARG \\w*(SHA256|DIGEST)\\w*=.*")
                    && !i.matches("ARG \\w+=(sha256:)?[0-9a-f]{64}")) {
                problems.add("a checksum that is not a sha256: " + i);
            } else if (i.matches("ARG \\w*(SHA256|DIGEST)\\w*") && !dockerfile.contains(
                    "${" + i.substring(4) + ":?") && !dockerfile.contains("@${" + i.substring(4) + "}")) {
                problems.add("a checksum without a value that the build does not require: " + i);
            }
        }
        return problems;
    }

    /** Instructions with their continuation lines joined and comments dropped. */
    static List<String> instructions(String dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            if (line.strip().startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher continued = Pattern.compile("^(.*)\\\\\\s*$").matcher(line);
            if (continued.matches()) {
                current.append(continued.group(1)).append(' ');
            } else {
                instructions.add(current.append(line).toString().strip());
                current.setLength(0);
            }
        }
        return instructions;
    }
}
