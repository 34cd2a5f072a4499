package comfy.workbench.connection.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import comfy.workbench.connection.api.CredentialProvider;
import comfy.workbench.connection.api.DataLocation;
import comfy.workbench.connection.api.ServerAuth;
import comfy.workbench.connection.api.ServerDescriptor;

/**
 * The built-in credential provider {@code token-file}: the bearer token of server {@code ID} is the content of the
 * file {@code ID.token} in a folder, read when it changed since the last call (modification time and size), so
 * that a sidecar which rewrites the file (best by a rename over it) rotates the token without anyone restarting.
 */
@Component(service = CredentialProvider.class, property = CredentialProvider.NAME + "=" + TokenFileProvider.NAME,
        configurationPid = TokenFileProvider.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = TokenFileProvider.Config.class)
public final class TokenFileProvider implements CredentialProvider {

    static final String NAME = "token-file";
    static final String PID = "comfy.workbench.connection.tokenfile";

    /** Where the token files are. */
    @ObjectClassDefinition(name = "Comfy Workbench token files",
            description = "The credential provider 'token-file': a bearer token per server, read from a file")
    public @interface Config {
        @AttributeDefinition(name = "Folder", description = "Holds ID.token for the server of id ID; "
                + "empty: tokens/ in the connection's data folder")
        String folder() default "";
    }

    /** A token as read, with what the file looked like then. */
    private record Token(FileTime modified, long size, String value) {
    }

    @Reference
    private DataLocation dataLocation;

    private final Map<String, Token> cache = new ConcurrentHashMap<>();
    private volatile Path folder;

    @Activate
    @Modified
    void configure(Config config) throws IOException {
        String configured = config.folder() == null ? "" : config.folder().strip();
        folder = configured.isEmpty() ? dataLocation.area("connection").resolve("tokens")
                : Path.of(configured).toAbsolutePath();
        cache.clear();
    }

    /** The file that holds a server's token. */
    Path tokenFile(ServerDescriptor server) {
        return folder.resolve(server.id() + ".token");
    }

    @Override
    public ServerAuth.Headers headers(ServerDescriptor server) throws IOException {
        Path file = tokenFile(server);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no token file for server " + server.id());
        }
        Token cached = cache.get(server.id());
        if (cached == null || !cached.modified().equals(attributes.lastModifiedTime())
                || cached.size() != attributes.size()) {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty() || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                // the content is the secret: say what is wrong with it, never what it is
                throw new IOException("token file " + file + " must hold one non-empty line");
            }
            cached = new Token(attributes.lastModifiedTime(), attributes.size(), value);
            cache.put(server.id(), cached);
        }
        return new ServerAuth.Headers(Map.of("Authorization", "Bearer " + cached.value()));
    }

    @Override
    public void rejected(ServerDescriptor server) {
        // a file rewritten within the file system's time resolution and at the same size looks unchanged
        cache.remove(server.id());
    }

    @Override
    public String toString() {
        return "TokenFileProvider[" + folder + "]";
    }
}
