package org.falab.learning.io;

import org.falab.contracts.npy.Npy;
import org.falab.contracts.npy.NpyArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * ZIP archives laid out like NumPy's {@code .npz}: one {@code <name>.npy} entry per array, stored
 * uncompressed as {@code numpy.savez} does, so {@code numpy.load(f)["fc1.weight"]} works. Other
 * entries (e.g. {@code manifest.json}) may sit beside them. Entry times are fixed, so the same
 * content always gives the same bytes.
 */
public final class Npz {

    private static final long FIXED_TIME = 315532800000L + 86_400_000L; // 1980-01-02, the DOS epoch + 1 day

    private Npz() {}

    /** Builds an archive entry by entry. */
    public static final class Writer implements AutoCloseable {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ZipOutputStream zip = new ZipOutputStream(bytes);

        /** Adds an entry with the given full name and content. */
        public Writer entry(String name, byte[] content) throws IOException {
            ZipEntry e = new ZipEntry(name);
            e.setMethod(ZipEntry.STORED);
            e.setSize(content.length);
            e.setCompressedSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            e.setCrc(crc.getValue());
            e.setTime(FIXED_TIME);
            zip.putNextEntry(e);
            zip.write(content);
            zip.closeEntry();
            return this;
        }

        /** Adds {@code <name>.npy}. */
        public Writer array(String name, byte[] npy) throws IOException {
            return entry(name + ".npy", npy);
        }

        /** Finishes the archive and returns its bytes. */
        public byte[] toByteArray() throws IOException {
            zip.finish();
            return bytes.toByteArray();
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    /** Every entry of an archive by full name, in archive order. */
    public static Map<String, byte[]> entries(byte[] archive) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                out.put(e.getName(), zip.readAllBytes());
            }
        }
        if (out.isEmpty()) {
            throw new IOException("not a ZIP archive or an empty one");
        }
        return out;
    }

    /** The arrays of an archive, by name without {@code .npy}. */
    public static Map<String, NpyArray> arrays(Map<String, byte[]> entries) throws IOException {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (e.getKey().endsWith(".npy")) {
                try (InputStream in = new ByteArrayInputStream(e.getValue())) {
                    out.put(e.getKey().substring(0, e.getKey().length() - 4), Npy.read(in));
                }
            }
        }
        return out;
    }
}
