package comfy.workbench.monitor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CacheStats;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.NodeSchemas;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Osgi;

/**
 * Node schemas are fetched once per server, and again after the server's socket dropped; the one a server last gave is
 * kept on disk for while it does not answer.
 */
final class NodeSchemasTest {

    private static final String OBJECT_INFO = "GET /object_info";
    private static final String SCHEMAS = "comfy.workbench.monitor.internal.NodeSchemasComponent";

    @TempDir
    Path data;
    private MonitorFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = MonitorFixture.start(data, FakeComfyServer.builder(), Map.of());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static CacheStats stats() {
        return Osgi.service(CacheManager.class).statistics().stream()
                .filter(s -> s.name().equals("monitor.node-schemas")).findFirst().orElseThrow();
    }

    @Test
    void schemaIsFetchedOnceAndServedFromTheCache() throws Exception {
        NodeSchemas schemas = Osgi.service(NodeSchemas.class);
        schemas.invalidate(fixture.serverId);
        int before = fixture.fake.requests(OBJECT_INFO);
        long hits = stats().hits();

        NodeSchema first = schemas.schema(fixture.serverId);
        NodeSchema second = schemas.schema(fixture.serverId);

        assertTrue(first.nodeClass("KSampler").isPresent());
        assertSame(first, second);
        assertEquals(before + 1, fixture.fake.requests(OBJECT_INFO));
        assertEquals(hits + 1, stats().hits());
        assertTrue(stats().weightBytes() > 100_000, "weighed by its JSON: " + stats());
        assertSame(first, schemas.cached(fixture.serverId).orElseThrow());
    }

    @Test
    void aDroppedSocketForgetsTheSchemaSoARestartedServerIsAskedAgain() throws Exception {
        NodeSchemas schemas = Osgi.service(NodeSchemas.class);
        schemas.schema(fixture.serverId);
        int before = fixture.fake.requests(OBJECT_INFO);

        fixture.fake.dropWebSockets();
        Osgi.await("the schema forgotten", () -> schemas.cached(fixture.serverId).isEmpty());
        Osgi.await("reconnected", () -> fixture.monitor.connectionState(fixture.serverId) == ConnectionState.CONNECTED);
        schemas.schema(fixture.serverId);

        assertEquals(before + 1, fixture.fake.requests(OBJECT_INFO));
    }

    @Test
    void theSchemaAServerLastGaveOutlivesItsSocketAndARestartAndAnUnreadableCopyIsNone() throws Exception {
        NodeSchemas schemas = Osgi.service(NodeSchemas.class);
        schemas.invalidate(fixture.serverId);
        NodeSchema given = schemas.schema(fixture.serverId);
        fixture.fake.failWith500(OBJECT_INFO);
        try {
            schemas.invalidate(fixture.serverId); // as a dropped socket does
            assertThrows(ComfyException.class, () -> schemas.schema(fixture.serverId));
            assertEquals(given, schemas.lastKnown(fixture.serverId).orElseThrow());

            Osgi.restart(SCHEMAS); // its memory cache is gone; the disk keeps the last schema
            NodeSchemas restarted = Osgi.service(NodeSchemas.class);
            assertTrue(restarted.cached(fixture.serverId).isEmpty());
            NodeSchema fromDisk = restarted.lastKnown(fixture.serverId).orElseThrow();
            assertEquals(given, fromDisk);
            assertTrue(fromDisk.nodeClass("KSampler").isPresent());
            assertTrue(restarted.lastKnown("nobody").isEmpty(), "never gave one");

            // the id given to another machine: not the schema of the one it named before
            ServerRegistry registry = Osgi.service(ServerRegistry.class);
            ServerDescriptor before = registry.server(fixture.serverId).orElseThrow();
            registry.update(new ServerDescriptor(before.id(), before.label(), URI.create("http://127.0.0.1:9"), null));
            try {
                Osgi.await("the client of the new address", () -> restarted.lastKnown(fixture.serverId).isEmpty());
            } finally {
                registry.update(before);
            }

            BlobCache kept = Osgi.service(CacheManager.class).findBlobCache("monitor.node-schemas.last-known").orElseThrow();
            kept.put(fixture.serverId + " " + before.baseUrl(),
                    new ByteArrayInputStream("{not gzip".getBytes(StandardCharsets.UTF_8)));
            Osgi.restart(SCHEMAS);
            assertTrue(Osgi.service(NodeSchemas.class).lastKnown(fixture.serverId).isEmpty(),
                    "a copy that cannot be read is none");
        } finally {
            fixture.fake.clearFaults();
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsAClearFailureAndNothingIsCached() {
        NodeSchemas schemas = Osgi.service(NodeSchemas.class);
        schemas.invalidate(fixture.serverId);
        fixture.fake.failWith500(OBJECT_INFO);
        ComfyException e = assertThrows(ComfyException.class, () -> schemas.schema(fixture.serverId));
        assertTrue(e.getMessage().contains("object_info"), e.getMessage());
        assertTrue(schemas.cached(fixture.serverId).isEmpty());
        fixture.fake.clearFaults();

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> schemas.schema("nobody"));
        assertEquals("no server nobody is registered", unknown.getMessage());
    }
}
