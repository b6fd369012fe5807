package org.falab.contracts.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs some tests compare against (NumPy, kubectl, promtool). On a developer's machine a missing one
 * skips the test with the command that installs it; in CI ({@code CI=true}, where {@code .ci/run} installs them) it
 * fails the test, so that a check never silently stops running.
 */
public final class Tools {

    private Tools() {
    }

    /** A python3 that can import numpy (Debian's /usr/bin/python3 first: another may come first on PATH), or null. */
    public static String pythonWithNumpy() {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            if (candidate.startsWith("/") && !Files.isExecutable(Path.of(candidate))) {
                continue;
            }
            if (runs(candidate, "-c", "import numpy")) {
                return candidate;
            }
        }
        return null;
    }

    /** True when {@code command args...} exits 0 within 30 s. */
    public static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Skips (or, in CI, fails) the calling test unless {@code present}. */
    public static void require(boolean present, String what, String install) {
        if (present) {
            return;
        }
        String message = what + " is missing (" + install + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + ": .ci/run installs it, so CI must have it");
        }
        Assumptions.abort(message + ": test skipped");
    }

    /** {@link #pythonWithNumpy()}, skipping or failing the test when there is none. */
    public static String requirePythonWithNumpy() {
        String python = pythonWithNumpy();
        require(python != null, "python3 with numpy", "apt-get install python3-numpy");
        return python;
    }
}
