package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * promtool (Debian package prometheus) on k8s/monitoring/falab-rules.yaml: syntax and one unit test per alert; and the
 * query of the trainers' KEDA trigger, evaluated by promtool on the same kind of series.
 * Skipped only where promtool is missing and this is not CI (.ci/run installs it).
 */
class PrometheusRulesTest {

    static final Path MONITORING = Manifests.ROOT.resolve("k8s/monitoring");

    @BeforeAll
    static void promtool() {
        org.falab.contracts.testing.Tools.require(KustomizeTest.onPath("promtool"), "promtool",
                "apt-get install prometheus");
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(MONITORING.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", command), out).isZero();
        return out;
    }

    @Test
    void rulesAreValid() throws Exception {
        assertThat(run("promtool", "check", "rules", "falab-rules.yaml")).contains("SUCCESS: 19 rules found");
    }

    @Test
    void everyAlertHasAFiringAndASilentCase() throws Exception {
        String rules = java.nio.file.Files.readString(MONITORING.resolve("falab-rules.yaml"));
        String tests = java.nio.file.Files.readString(MONITORING.resolve("falab-rules.test.yaml"));
        java.util.regex.Matcher alert = java.util.regex.Pattern.compile("(?m)^\\s*- alert: (\\w+)").matcher(rules);
        int alerts = 0;
        while (alert.find()) {
            alerts++;
            String name = alert.group(1);
            java.util.regex.Matcher cases = java.util.regex.Pattern
                    .compile("alertname: " + name + "\\n\\s*exp_alerts:( \\[\\])?").matcher(tests);
            boolean firing = false;
            boolean silent = false;
            while (cases.find()) {
                if (cases.group(1) == null) {
                    firing = true;
                } else {
                    silent = true;
                }
            }
            assertThat(firing).as(name + " has a test where it fires").isTrue();
            assertThat(silent).as(name + " has a test where it stays silent").isTrue();
        }
        assertThat(alerts).isEqualTo(19);
    }

    /**
     * Every alert pages with a severity of critical or warning, links its runbook section (an anchor that is a heading
     * of docs/runbook.md, which says what it means, what to check and how to fix it) and is grouped by namespace
     * (absent() has no labels to group by: one per service instead).
     */
    @Test
    void everyAlertHasASeverityARunbookSectionAndANamespace() throws Exception {
        String runbook = java.nio.file.Files.readString(Manifests.ROOT.resolve("docs/runbook.md"));
        java.util.Set<String> anchors = new java.util.TreeSet<>();
        java.util.regex.Matcher heading = java.util.regex.Pattern.compile("(?m)^#{2,4} (.+)$").matcher(runbook);
        while (heading.find()) {
            // GitHub's anchors: lower case, punctuation dropped, spaces to hyphens
            anchors.add(heading.group(1).trim().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 _-]", "")
                    .replace(' ', '-'));
        }
        java.util.Map<?, ?> file = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .readValue(MONITORING.resolve("falab-rules.yaml").toFile(), java.util.Map.class);
        int alerts = 0;
        for (Object group : (java.util.List<?>) file.get("groups")) {
            for (Object r : (java.util.List<?>) ((java.util.Map<?, ?>) group).get("rules")) {
                java.util.Map<?, ?> rule = (java.util.Map<?, ?>) r;
                String name = (String) rule.get("alert");
                alerts++;
                java.util.Map<?, ?> labels = (java.util.Map<?, ?>) rule.get("labels");
                assertThat(labels.get("severity")).as(name + " severity").isIn("critical", "warning");
                String url = (String) ((java.util.Map<?, ?>) rule.get("annotations")).get("runbook_url");
                assertThat(url).as(name + " runbook_url").startsWith("https://github.com/falab/falab/blob/main/docs/runbook.md#");
                String anchor = url.substring(url.indexOf('#') + 1);
                assertThat(anchor).as(name + " runbook anchor").isEqualTo(name.toLowerCase(java.util.Locale.ROOT));
                assertThat(anchors).as(name + ": a heading of docs/runbook.md").contains(anchor);
                String expr = (String) rule.get("expr");
                if (expr.startsWith("absent(")) {
                    assertThat(labels.get("service")).as(name + ": absent() names its service").isNotNull();
                } else {
                    assertThat(expr).as(name + " groups by namespace").contains("namespace");
                }
            }
        }
        assertThat(alerts).isEqualTo(19);
        // each runbook section says what the alert means, what to check and how to fix it
        for (String section : runbook.split("(?m)^### ")) {
            if (section.startsWith("Falab")) {
                assertThat(section).as(section.lines().findFirst().orElse(""))
                        .contains("**What it means**", "**What to check**", "**How to fix**");
            }
        }
    }

    /** The promql_expr_test in falab-rules.test.yaml tests the very query of the Kustomize GPU overlay's ScaledObject. */
    @Test
    void theKedaQueryIsTheOneTheUnitTestsEvaluate() throws Exception {
        // the chart's rendering with values-gpu.yaml (k8s/render.sh), namespace falab
        Manifests gpu = Manifests.parse(java.nio.file.Files.readString(Manifests.ROOT.resolve("k8s/overlays/gpu/falab.yaml")));
        Object trigger = Manifests.list(Manifests.spec(gpu.custom("ScaledObject").get(0)).get("triggers")).get(0);
        String query = (String) Manifests.map(Manifests.map(trigger).get("metadata")).get("query");
        assertThat(query).contains("falab_runs");
        assertThat(java.nio.file.Files.readString(MONITORING.resolve("falab-rules.test.yaml")))
                .contains("- expr: " + query + "\n");
    }

    @Test
    void everyAlertHasPassingUnitTests() throws Exception {
        assertThat(run("promtool", "test", "rules", "falab-rules.test.yaml")).contains("SUCCESS");
    }
}
