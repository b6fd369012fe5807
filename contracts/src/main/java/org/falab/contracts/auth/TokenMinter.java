package org.falab.contracts.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;

import io.smallrye.jwt.build.Jwt;

/**
 * Mints the local stack's RS256 tokens ({@link Claims}) and keeps its key pair as PEM files. Needs
 * {@code io.smallrye:smallrye-jwt-build} on the class path (an optional dependency of the contracts: the CLI and
 * the local stack's test kit declare it; the services only verify).
 */
public final class TokenMinter {

    /** The private key's file in a key folder (mode 600). */
    public static final String PRIVATE_KEY = "private-key.pem";
    /** The public key's file in a key folder: the gateway's {@code mp.jwt.verify.publickey.location}. */
    public static final String PUBLIC_KEY = "public-key.pem";

    private final PrivateKey key;
    private final String issuer;

    public TokenMinter(PrivateKey key, String issuer) {
        this.key = key;
        this.issuer = issuer;
    }

    /** A minter with the private key of a key folder. */
    public static TokenMinter of(Path keyFolder, String issuer) throws IOException {
        return new TokenMinter(readPrivateKey(keyFolder.resolve(PRIVATE_KEY)), issuer);
    }

    /**
     * A signed token.
     *
     * @param projects the user's projects; empty for none (an admin needs none)
     * @param ttl      how long it is valid from now; negative for one that expired already (tests)
     */
    public String mint(String user, List<String> roles, List<String> projects, Duration ttl) {
        Instant now = Instant.now();
        return Jwt.issuer(issuer).subject(user).upn(user)
                .groups(new LinkedHashSet<>(roles))
                .claim(Claims.PROJECTS, List.copyOf(projects))
                .issuedAt(ttl.isNegative() ? now.plus(ttl).minusSeconds(60) : now)
                .expiresAt(now.plus(ttl))
                .sign(key);
    }

    /** A fresh 2048-bit RSA key pair. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no RSA", e);
        }
    }

    /**
     * Writes a fresh key pair into a folder unless its private key is there already (files mode 600: the private
     * key signs anyone's token).
     *
     * @return true when it wrote a new pair
     */
    public static boolean ensureKeyPair(Path keyFolder) throws IOException {
        if (Files.exists(keyFolder.resolve(PRIVATE_KEY))) {
            return false;
        }
        Files.createDirectories(keyFolder);
        KeyPair pair = newKeyPair();
        writePrivate(keyFolder.resolve(PUBLIC_KEY), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        writePrivate(keyFolder.resolve(PRIVATE_KEY), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        return true;
    }

    /** Writes a file readable by its owner only (created so, never readable by others for a moment). */
    public static void writePrivate(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** PEM text of a DER key (X.509 public, PKCS#8 private). */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(base64)));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException | IllegalArgumentException e) {
            throw new IOException(file + " is not a PKCS#8 RSA private key in PEM", e);
        }
    }
}
