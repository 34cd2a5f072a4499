package comfy.workbench.extensions.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * A jar of the extensions folder as read before anything is installed from it: its content's SHA-256 (to see whether it
 * changed since it was installed), its bundle identity, and what makes it unusable, if anything.
 *
 * @param file         the file name
 * @param sha256       the content's SHA-256 in hex
 * @param symbolicName the {@code Bundle-SymbolicName} without directives; empty when absent
 * @param version      the {@code Bundle-Version} (0.0.0 when absent); null when the symbolic name is absent
 * @param problem      why it cannot be installed; empty when it can
 */
record ExtensionJar(String file, String sha256, String symbolicName, Version version, String problem) {

    boolean usable() {
        return problem.isEmpty();
    }

    static ExtensionJar read(Path jar) throws IOException {
        String file = jar.getFileName().toString();
        String sha256 = sha256(jar);
        Manifest manifest;
        try (JarFile zip = new JarFile(jar.toFile(), false)) {
            manifest = zip.getManifest();
        } catch (ZipException e) {
            return new ExtensionJar(file, sha256, "", null, "not a jar (zip) file: " + e.getMessage());
        }
        if (manifest == null) {
            return new ExtensionJar(file, sha256, "", null, "not a bundle: the jar has no META-INF/MANIFEST.MF");
        }
        Attributes main = manifest.getMainAttributes();
        String name = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (name == null || name.split(";")[0].isBlank()) {
            return new ExtensionJar(file, sha256, "", null,
                    "not a bundle: its manifest has no Bundle-SymbolicName");
        }
        String symbolicName = name.split(";")[0].strip();
        Version version;
        try {
            version = Version.parseVersion(main.getValue(Constants.BUNDLE_VERSION));
        } catch (IllegalArgumentException e) {
            return new ExtensionJar(file, sha256, symbolicName, null,
                    "its Bundle-Version is not a version: " + e.getMessage());
        }
        String host = main.getValue(Constants.FRAGMENT_HOST);
        if (host != null) {
            // a fragment attaches only when its host is resolved again, which would restart a platform bundle
            return new ExtensionJar(file, sha256, symbolicName, version, "a fragment (Fragment-Host: " + host.strip()
                    + "): an extension is a bundle of its own; put the fragment's content in one");
        }
        return new ExtensionJar(file, sha256, symbolicName, version, "");
    }

    private static String sha256(Path jar) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(jar)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
