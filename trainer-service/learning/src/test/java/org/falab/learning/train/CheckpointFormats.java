package org.falab.learning.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.falab.learning.checkpoint.CheckpointManifest;
import org.falab.learning.checkpoint.Checkpoints;
import org.falab.learning.io.Npz;

/** Checkpoints as older trainers wrote them, for tests. */
final class CheckpointFormats {

    private CheckpointFormats() {}

    /** The same checkpoint as format 1 wrote it: the same archive, its manifest without {@code resume}. */
    static byte[] asFormat1(byte[] checkpoint) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, byte[]> entries = Npz.entries(checkpoint);
        ObjectNode manifest = (ObjectNode) json.readTree(entries.get(Checkpoints.MANIFEST));
        manifest.put("format", CheckpointManifest.FORMAT_1);
        manifest.remove("resume");
        try (Npz.Writer zip = new Npz.Writer()) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.entry(e.getKey(), e.getKey().equals(Checkpoints.MANIFEST) ? json.writeValueAsBytes(manifest)
                        : e.getValue());
            }
            return zip.toByteArray();
        }
    }
}
