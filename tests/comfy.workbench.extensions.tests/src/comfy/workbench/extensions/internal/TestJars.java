package comfy.workbench.extensions.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds the extension jars the tests install: a manifest and, for a bundle with an activator, its class. */
final class TestJars {

    private final Map<String, String> headers = new LinkedHashMap<>();
    private Class<?> activator;
    private Class<?> component;

    private TestJars() {
    }

    /** A bundle with a symbolic name and a version, and nothing else. */
    static TestJars bundle(String symbolicName, String version) {
        TestJars jar = new TestJars();
        jar.headers.put("Bundle-ManifestVersion", "2");
        jar.headers.put("Bundle-SymbolicName", symbolicName);
        jar.headers.put("Bundle-Version", version);
        return jar;
    }

    /** A jar whose manifest has no Bundle-SymbolicName: a plain Java library, not a bundle. */
    static TestJars library() {
        TestJars jar = new TestJars();
        jar.headers.put("Implementation-Title", "a library");
        return jar;
    }

    TestJars header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The activator, a class of this fragment copied into the jar, and the packages it needs imported. */
    TestJars activator(Class<?> type, String imports) {
        activator = type;
        headers.put("Bundle-Activator", type.getName());
        headers.put("Import-Package", imports);
        return this;
    }

    /** An immediate Declarative Services component of that class (copied into the jar), activated by its activate(). */
    TestJars component(Class<?> type) {
        component = type;
        headers.put("Service-Component", "OSGI-INF/component.xml");
        return this;
    }

    Path writeTo(Path file) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
        Path temp = file.resolveSibling(file.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(temp); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Class<?> type : java.util.Arrays.asList(activator, component)) {
                if (type != null) {
                    String name = type.getName().replace('.', '/') + ".class";
                    jar.putNextEntry(new JarEntry(name));
                    try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
                        in.transferTo(jar);
                    }
                    jar.closeEntry();
                }
            }
            if (component != null) {
                jar.putNextEntry(new JarEntry("OSGI-INF/component.xml"));
                jar.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\""
                        + component.getName() + "\" immediate=\"true\" activate=\"activate\">\n"
                        + "  <implementation class=\"" + component.getName() + "\"/>\n</scr:component>\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        // replaced whole, as a person copying a jar over the old one does: never half written
        return Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
