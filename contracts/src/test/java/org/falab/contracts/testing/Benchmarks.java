package org.falab.contracts.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the benchmarks (the learning core's step bench, the analysis service's rank bench, the pipeline bench) share:
 * their quantiles, their command-line options and the machine they ran on. Nothing here is timed.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    /** The q-quantile of sorted values by linear interpolation between closest ranks (NumPy's default). */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The values sorted, for {@link #quantile}. */
    public static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /**
     * {@code --name value} pairs by name; the names in {@code flags} take no value (their value is {@code "true"}).
     *
     * @throws IllegalArgumentException for a word that is not an option, or an option without its value
     */
    public static Map<String, String> options(String[] args, String... flags) {
        List<String> flagNames = List.of(flags);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options are --name [value]: " + String.join(" ", args));
            }
            String name = args[i].substring(2);
            if (flagNames.contains(name)) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
        }
        return options;
    }

    /** The CPU's model name from /proc/cpuinfo, or "unknown". */
    public static String cpuModel() {
        return procLine("/proc/cpuinfo", "model name").map(l -> l.substring(l.indexOf(':') + 1).trim())
                .orElse("unknown");
    }

    /** MemTotal from /proc/meminfo, e.g. "24590000 kB", or "unknown". */
    public static String memTotal() {
        return procLine("/proc/meminfo", "MemTotal:").map(l -> l.substring("MemTotal:".length()).trim())
                .orElse("unknown");
    }

    /** The 1, 5 and 15 minute load averages, or "unknown". */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static java.util.Optional<String> procLine(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}
