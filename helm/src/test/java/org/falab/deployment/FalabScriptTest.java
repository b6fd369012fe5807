package org.falab.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./falab} script's idea of "running", on real processes: a pid file survives its process, so after a
 * {@code kill -9} the pid may be a zombie (its parent, an earlier {@code ./falab}, is gone and nothing reaps it) or
 * belong to another program. The stand-ins carry the trainer's command line (as {@code ./falab up} starts it) and
 * the script is sourced into a real bash, so these are the functions {@code up}, {@code down} and {@code status}
 * call. Bounded: every process is waited for with a timeout and killed at the end.
 */
class FalabScriptTest {

    static final Path SCRIPT = Manifests.ROOT.resolve("falab");
    private static final int TRAINER_PORT = 18979;

    @TempDir
    Path home;
    private final List<Process> started = new java.util.ArrayList<>();

    @AfterEach
    void killStandIns() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aTrainerKilledWithSigkillLeftAsAZombieIsNotRunningAndItsPidFileIsCleared() throws Exception {
        long pid = standInUnderAParentThatNeverReaps();
        writePidFile("trainer", pid);
        assertThat(script("running trainer && echo running || echo stopped")).as("alive").isEqualTo("running");

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        awaitState(pid, "Z");
        assertThat(ProcessHandle.of(pid)).as("a zombie still has its pid (kill -0 succeeds)").isPresent();
        assertThat(script("running trainer && echo running || echo stopped")).isEqualTo("stopped");
        assertThat(run(SCRIPT.toString(), "status")).contains("trainer   stopped");

        // what ./falab up does before it starts the trainer again: the stale pid file goes, without waiting it out
        long before = System.nanoTime();
        assertThat(script("clear_stale trainer")).contains("removing the stale pid file");
        assertThat(pidFile("trainer")).doesNotExist();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - before)).as("no wait for a zombie")
                .isLessThan(10);
    }

    @Test
    void aPidReusedByAnotherProgramIsNotTheComponentAndDownLeavesThatProgramAlone() throws Exception {
        Process other = start("sleep", "120");
        writePidFile("trainer", other.pid());
        assertThat(script("running trainer && echo running || echo stopped")).isEqualTo("stopped");

        run(SCRIPT.toString(), "down");
        assertThat(other.isAlive()).as("./falab down signals only its own components").isTrue();
        assertThat(pidFile("trainer")).doesNotExist();
    }

    @Test
    void downStopsALiveComponent() throws Exception {
        Process trainer = start("bash", "-c", "sleep 120; :", "stand-in", "-Dquarkus.http.port=" + TRAINER_PORT,
                "-jar", Manifests.ROOT.resolve("trainer-service/target/quarkus-app/quarkus-run.jar").toString());
        writePidFile("trainer", trainer.pid());
        assertThat(script("running trainer && echo running || echo stopped")).isEqualTo("running");

        assertThat(run(SCRIPT.toString(), "down")).contains("stopping trainer (pid " + trainer.pid() + ")");
        assertThat(trainer.waitFor(30, TimeUnit.SECONDS)).as("SIGTERM ended it").isTrue();
        assertThat(pidFile("trainer")).doesNotExist();
    }

    /**
     * {@code ./falab up}'s S3 credentials: generated once into a mode-600 file (a random secret, no default), and
     * handed to the S3 server and the services in their environment, never on their command lines. The real
     * start_s3 and start_service run; only start_process is replaced, by one that records what it would start.
     */
    @Test
    void theS3SecretIsGeneratedOnceIntoAPrivateFileAndReachesProcessesOnlyThroughTheirEnvironment() throws Exception {
        String record = "start_process() { local name=\"$1\"; shift; printf '%s\\n' \"$@\" >\"$FALAB_HOME/$name.args\"; "
                + "env >\"$FALAB_HOME/$name.environ\"; }; port_open() { return 1; }; wait_for() { :; }; "
                + "local_stack_classpath() { echo cp; }; ";
        script(record + "s3_credentials; start_s3; start_service analysis analysis-service 18982");
        Path file = home.resolve("s3.env");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String secret = Files.readString(file).lines().filter(l -> l.startsWith("S3_SECRET_KEY="))
                .map(l -> l.substring("S3_SECRET_KEY=".length())).findFirst().orElseThrow();
        assertThat(secret).matches("[0-9a-f]{48}");
        assertThat(Files.readString(home.resolve("s3.args"))).contains("org.falab.localstack.ObjectStoreServer")
                .doesNotContain(secret);
        assertThat(Files.readString(home.resolve("s3.environ"))).contains("FALAB_S3_SECRET_KEY=" + secret);
        assertThat(Files.readString(home.resolve("analysis.args"))).contains("-jar").doesNotContain(secret);
        assertThat(Files.readString(home.resolve("analysis.environ"))).contains("FALAB_STORAGE_SECRET_KEY=" + secret);

        // the next up keeps it (what is in the bucket stays readable); a secret given in the environment wins
        script("s3_credentials; echo \"$S3_SECRET_KEY\" >\"$FALAB_HOME/again\"");
        assertThat(Files.readString(home.resolve("again")).trim()).isEqualTo(secret);
        script(record + "S3_SECRET_KEY=given-by-me; s3_credentials; start_s3");
        assertThat(Files.readString(home.resolve("s3.environ"))).contains("FALAB_S3_SECRET_KEY=given-by-me");
        assertThat(Files.readString(home.resolve("s3.args"))).doesNotContain("given-by-me");
    }

    /**
     * A stand-in with the trainer's command line whose parent execs into {@code sleep}, which never waits for its
     * children: once killed, the stand-in stays a zombie, as under a container's init that reaps nothing.
     */
    private long standInUnderAParentThatNeverReaps() throws Exception {
        Path childPid = home.resolve("child.pid");
        start("bash", "-c", "\"$@\" & echo $! > " + childPid + "; exec sleep 120", "parent",
                "bash", "-c", "sleep 120; :", "stand-in", "-Dquarkus.http.port=" + TRAINER_PORT, "-jar",
                Manifests.ROOT.resolve("trainer-service/target/quarkus-app/quarkus-run.jar").toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(childPid) || Files.readString(childPid).isBlank()) {
            assertThat(System.nanoTime()).as("the stand-in started").isLessThan(deadline);
            Thread.sleep(50);
        }
        long pid = Long.parseLong(Files.readString(childPid).trim());
        // its command line is the trainer's once the child has exec'd bash -c (not the parent's copy of it)
        while (!Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).contains("stand-in")) {
            assertThat(System.nanoTime()).as("the stand-in runs").isLessThan(deadline);
            Thread.sleep(50);
        }
        return pid;
    }

    private static void awaitState(long pid, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            if (stat.substring(stat.lastIndexOf(')') + 2).startsWith(state)) {
                return;
            }
            assertThat(System.nanoTime()).as("pid %d in state %s: %s", pid, state, stat).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private Path pidFile(String component) {
        return home.resolve("pids").resolve(component + ".pid");
    }

    private void writePidFile(String component, long pid) throws IOException {
        Files.createDirectories(home.resolve("pids"));
        Files.writeString(pidFile(component), pid + "\n");
    }

    private Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        return p;
    }

    /** Sources the script into bash (which defines its functions and runs nothing) and runs {@code code}. */
    private String script(String code) throws Exception {
        return run("bash", "-c", "source \"$1\"; " + code, "bash", SCRIPT.toString());
    }

    private String run(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FALAB_HOME", home.toString());
        builder.environment().put("FALAB_TRAINER_PORT", Integer.toString(TRAINER_PORT));
        Process p = builder.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ends", List.of(command)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as("%s: %s", List.of(command), out).isZero();
        return out;
    }
}
