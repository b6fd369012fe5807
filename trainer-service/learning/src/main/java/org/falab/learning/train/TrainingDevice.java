package org.falab.learning.train;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The device a run trains on, from a setting: {@code auto} (the engine's GPU when it sees one, else the CPU),
 * {@code cpu}, {@code gpu} (the first GPU) or {@code gpu:N}. Every parameter, buffer, optimiser state and batch of a
 * run is created by one manager on this device; probes and checkpoints copy to the host when they read values.
 * This class is the only place of the learning core that names a device.
 */
public final class TrainingDevice {

    /** The setting's grammar. */
    public static final String SETTINGS = "auto, cpu, gpu or gpu:N";

    private static final Pattern GPU = Pattern.compile("gpu(?::(\\d+))?");

    private TrainingDevice() {}

    /**
     * The device a setting names on this engine.
     *
     * @throws TrainingFailedException for a setting that is not one of {@link #SETTINGS}, or a GPU the engine does
     *     not have (with how many it sees)
     */
    public static Device resolve(String setting, Engine engine) throws TrainingFailedException {
        String s = setting == null ? "auto" : setting.trim().toLowerCase(java.util.Locale.ROOT);
        int gpus = engine.getGpuCount();
        if (s.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        Matcher m = GPU.matcher(s);
        if (!m.matches()) {
            throw new TrainingFailedException("unknown training device '" + setting + "' (expected " + SETTINGS + ")");
        }
        int index = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        if (index >= gpus) {
            throw new TrainingFailedException("device " + s + " asked for, but the engine (" + engine.getEngineName()
                    + " " + engine.getVersion() + ") sees " + gpus + " GPU" + (gpus == 1 ? "" : "s")
                    + (gpus == 0 ? ": no CUDA device or no CUDA build of libtorch on this machine" : ""));
        }
        return Device.gpu(index);
    }

    /** The name runs and metrics use: {@code cpu} or {@code gpu:N}. */
    public static String name(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }
}
