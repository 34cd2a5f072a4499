package comfy.workbench.monitor.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CacheStats;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.monitor.api.ConnectionState;
import comfy.workbench.monitor.api.NodeSchemas;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.osgi.Osgi;

/** Node schemas are fetched once per server, and again after the server's socket dropped. */
final class NodeSchemasTest {

    private static final String OBJECT_INFO = "GET /object_info";

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
