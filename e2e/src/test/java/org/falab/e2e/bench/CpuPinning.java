package org.falab.e2e.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Pins every thread of a process to a CPU list with {@code taskset -a -p -c LIST PID}: threads it starts later
 * inherit the list from the thread that starts them. The pipeline bench uses it to give the trainer cores of its
 * own, as a cluster gives the trainer pod its own node, so that the share of a run outside its steps can be told
 * apart from the other processes of a one-machine stack taking the training thread's core.
 */
final class CpuPinning {

    private CpuPinning() {
    }

    /** Pins process {@code pid}; throws with taskset's words when it refuses (a bad list, no such CPU). */
    static void pin(long pid, String cpus) throws IOException, InterruptedException {
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, String.valueOf(pid))
                .redirectErrorStream(true).start();
        String output = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!taskset.waitFor(10, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
            throw new IllegalArgumentException("taskset -c " + cpus + " " + pid + " failed: " + output);
        }
    }
}
