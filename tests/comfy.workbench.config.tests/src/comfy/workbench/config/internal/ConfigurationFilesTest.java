package comfy.workbench.config.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import comfy.workbench.manager.api.HealthResult;
import comfy.workbench.manager.api.HealthStatus;
import comfy.workbench.testing.osgi.Osgi;

/** Configuration files applied to the running framework's Configuration Admin. */
class ConfigurationFilesTest {

    @TempDir
    Path folder;

    private final ConfigurationAdmin admin = Osgi.service(ConfigurationAdmin.class);

    @AfterEach
    void deleteConfigurations() throws Exception {
        Configuration[] all = admin.listConfigurations("(|(service.pid=test.*)(" + ConfigurationFiles.SOURCE + "=*))");
        for (Configuration c : all == null ? new Configuration[0] : all) {
            c.delete();
        }
    }

    private void write(String name, String json) throws Exception {
        Files.writeString(folder.resolve(name), json);
    }

    private Dictionary<String, Object> properties(String pid) throws Exception {
        Configuration[] found = admin.listConfigurations("(service.pid=" + pid + ")");
        return found == null ? null : found[0].getProperties();
    }

    @Test
    void eachFileBecomesTheConfigurationOfItsPidWithTypedValues() throws Exception {
        write("test.monitor.json", "{\"reconnectMaxMillis\": 30000, \"jitter\": 0.25, \"enabled\": true,"
                + " \"name\": \"studio\", \"servers\": [\"a\", \"b\"], \"ports\": [8188, 8189]}");
        ConfigurationFiles.Outcome outcome = ConfigurationFiles.apply(folder, admin);
        assertEquals(List.of("test.monitor"), outcome.applied());
        assertTrue(outcome.problems().isEmpty(), outcome.problems().toString());
        Dictionary<String, Object> p = properties("test.monitor");
        assertEquals(30000L, p.get("reconnectMaxMillis"));
        assertEquals(0.25, p.get("jitter"));
        assertEquals(Boolean.TRUE, p.get("enabled"));
        assertEquals("studio", p.get("name"));
        assertArrayEquals(new String[] { "a", "b" }, (String[]) p.get("servers"));
        assertArrayEquals(new Long[] { 8188L, 8189L }, (Long[]) p.get("ports"));
        assertEquals("test.monitor.json", p.get(ConfigurationFiles.SOURCE));
    }

    @Test
    void anUnchangedFileLeavesItsConfigurationAlone() throws Exception {
        write("test.queue.json", "{\"perServerLimit\": 4}");
        ConfigurationFiles.apply(folder, admin);
        long changes = admin.listConfigurations("(service.pid=test.queue)")[0].getChangeCount();
        ConfigurationFiles.Outcome again = ConfigurationFiles.apply(folder, admin);
        assertTrue(again.applied().isEmpty(), "nothing applied: " + again.applied());
        assertEquals(changes, admin.listConfigurations("(service.pid=test.queue)")[0].getChangeCount(),
                "its component is not restarted");
    }

    @Test
    void aMalformedFileIsReportedByNameAndChangesNothing() throws Exception {
        write("test.good.json", "{\"a\": 1}");
        write("test.kept.json", "{\"b\": 2}");
        ConfigurationFiles.apply(folder, admin);
        write("test.kept.json", "{\"b\": {\"nested\": true}}");
        write("test.broken.json", "{\"c\": ");
        write("bad name!.json", "{}");
        write("test.huge.json", "{\"a\": \"" + "x".repeat(2 << 20) + "\"}");
        ConfigurationFiles.Outcome outcome = ConfigurationFiles.apply(folder, admin);
        Map<String, String> problems = outcome.problems();
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get("test.huge.json").startsWith("larger than 1048576 bytes"), problems.toString());
        assertTrue(problems.get("test.kept.json").contains("property \"b\" is an object"), problems.toString());
        assertTrue(problems.get("test.broken.json").startsWith("not JSON"), problems.toString());
        assertTrue(problems.get("bad name!.json").contains("not a PID"), problems.toString());
        assertEquals(2L, properties("test.kept").get("b"), "the earlier configuration stays");
        assertEquals(1L, properties("test.good").get("a"));
        assertNull(properties("test.broken"));
    }

    @Test
    void theConfigurationOfARemovedFileIsDeletedAndOthersAreNot() throws Exception {
        write("test.gone.json", "{\"a\": 1}");
        ConfigurationFiles.apply(folder, admin);
        Dictionary<String, Object> own = new Hashtable<>(Map.of("x", "set elsewhere"));
        admin.getConfiguration("test.other", "?").update(own);
        Files.delete(folder.resolve("test.gone.json"));
        ConfigurationFiles.Outcome outcome = ConfigurationFiles.apply(folder, admin);
        assertEquals(List.of("test.gone"), outcome.removed());
        assertNull(properties("test.gone"));
        assertEquals("set elsewhere", properties("test.other").get("x"), "a configuration not made from a file stays");
    }

    @Test
    void theHealthCheckNamesTheFilesThatWereNotApplied() throws Exception {
        write("test.fine.json", "{\"a\": 1}");
        assertEquals(HealthStatus.OK,
                ConfigurationFilesActivator.apply(folder, Osgi.context()).status());
        write("test.wrong.json", "[1, 2]");
        HealthResult result = ConfigurationFilesActivator.apply(folder, Osgi.context());
        assertEquals(HealthStatus.WARN, result.status());
        assertTrue(result.message().contains("test.wrong.json=not a JSON object of properties"), result.message());
    }

    @Test
    void noFolderMeansNoFilesAndNoError() throws Exception {
        ConfigurationFiles.Outcome outcome = ConfigurationFiles.apply(folder.resolve("missing"), admin);
        assertTrue(outcome.applied().isEmpty() && outcome.problems().isEmpty() && outcome.removed().isEmpty());
    }

    @Test
    void aValueTheConfiguredComponentCouldNotTakeIsReportedWithTheFileAndChangesNothing() throws Exception {
        // the manager's components declare their properties' types in their descriptions (checkIntervalMillis: Long)
        write("comfy.workbench.manager.json", "{\"checkIntervalMillis\": \"abc\"}");
        write("comfy.workbench.manager.disk.json", "{\"warnBelowMiB\": 2.5}");
        write("comfy.workbench.manager.queue.json", "{\"stuckAfterMillis\": \"900000\", \"note\": [1, 2]}");
        HealthResult result = ConfigurationFilesActivator.apply(folder, Osgi.context());

        assertEquals(HealthStatus.WARN, result.status());
        assertTrue(result.message().contains("comfy.workbench.manager.json=property \"checkIntervalMillis\" must be a "
                + "whole number (Long in comfy.workbench.manager.internal."), result.message());
        assertTrue(result.message().contains("), not \"abc\""), result.message());
        assertTrue(result.message().contains("comfy.workbench.manager.disk.json=property \"warnBelowMiB\" must be a "
                + "whole number"), result.message());
        assertTrue(result.message().contains("not 2.5"), result.message());
        assertNull(properties("comfy.workbench.manager"), "nothing of the file applied");
        assertNull(properties("comfy.workbench.manager.disk"));
        // a string of digits converts (as Declarative Services converts it), an undeclared property is the file's own
        assertEquals("900000", properties("comfy.workbench.manager.queue").get("stuckAfterMillis"));
        assertFalse(result.message().contains("comfy.workbench.manager.queue.json"), result.message());
    }
}
