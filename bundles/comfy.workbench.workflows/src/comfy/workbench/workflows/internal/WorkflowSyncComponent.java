package comfy.workbench.workflows.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.google.gson.JsonObject;

import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.UserDataFile;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.RemoteWorkflow;
import comfy.workbench.workflows.api.StoredWorkflow;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowLibrary;
import comfy.workbench.workflows.api.WorkflowSync;

/**
 * The {@link WorkflowSync} service. Links live in each library workflow's attributes under {@value #LINKS}: server
 * id → path below {@code workflows/}.
 */
@Component(service = WorkflowSync.class)
public final class WorkflowSyncComponent implements WorkflowSync {

    static final String LINKS = "comfyui.workflows";
    private static final String DIR = "workflows";

    @Reference
    private ComfyClients clients;
    @Reference
    private WorkflowLibrary library;
    @Reference
    private WorkflowCodec codec;

    @Override
    public List<RemoteWorkflow> list(String serverId) throws ComfyException {
        List<UserDataFile> files;
        try {
            files = client(serverId).listUserData(DIR, true);
        } catch (ComfyException e) {
            if (e.kind() == ComfyException.Kind.HTTP_STATUS && e.status().orElse(0) == 404) {
                return List.of(); // the frontend has not saved a workflow yet
            }
            throw e;
        }
        Map<String, String> linked = linkedPaths(serverId);
        List<RemoteWorkflow> remote = new ArrayList<>();
        for (UserDataFile file : files) {
            if (file.path().endsWith(".json")) {
                remote.add(new RemoteWorkflow(serverId, file.path(), file.size(), Instant.ofEpochMilli(file.modified()),
                        linked.get(file.path())));
            }
        }
        return remote;
    }

    @Override
    public LibraryEntry pull(String serverId, String path) throws ComfyException {
        String file = checkPath(path);
        ComfyClient client = client(serverId);
        byte[] data = client.readUserData(DIR + "/" + file).orElseThrow(() -> new WorkflowException(
                WorkflowException.Kind.IO, serverId + ":" + DIR + "/" + file, "the server has no such saved workflow"));
        NodeSchema schema = client.objectInfo(NodeSchema::parse);
        Workflow workflow = codec.read(data, serverId + ":" + DIR + "/" + file, schema);
        String source = "comfyui:" + serverId + "/" + DIR + "/" + file;
        Optional<LibraryEntry> existing = linkedEntry(serverId, file);
        if (existing.isPresent()) {
            LibraryEntry e = existing.get();
            WorkflowDraft draft = new WorkflowDraft(e.name(), e.metadata().description(), e.metadata().tags(), source,
                    workflow, schema, e.attributes());
            return library.update(e.id(), e.revision(), draft);
        }
        JsonObject attributes = new JsonObject();
        JsonObject links = new JsonObject();
        links.addProperty(serverId, file);
        attributes.add(LINKS, links);
        return library.create(new WorkflowDraft(nameOf(file), "", List.of(), source, workflow, schema, attributes));
    }

    @Override
    public String push(String serverId, String id, String path, boolean overwrite) throws ComfyException {
        StoredWorkflow stored = library.read(id);
        ComfyClient client = client(serverId);
        String file = path != null ? checkPath(path)
                : Optional.ofNullable(linkedPaths(serverId).entrySet().stream().filter(e -> e.getValue().equals(id))
                        .map(Map.Entry::getKey).findFirst().orElse(null)).orElseGet(() -> fileNameOf(stored.entry().name()));
        String json = codec.writeUi(stored.workflow()).orElseGet(() -> codec.writeApi(stored.workflow()));
        client.writeUserData(DIR + "/" + file, json.getBytes(StandardCharsets.UTF_8), overwrite);
        JsonObject attributes = stored.entry().attributes();
        JsonObject links = attributes.has(LINKS) && attributes.get(LINKS).isJsonObject() ? attributes.getAsJsonObject(LINKS)
                : new JsonObject();
        if (!file.equals(links.has(serverId) ? links.get(serverId).getAsString() : null)) {
            links.addProperty(serverId, file);
            attributes.add(LINKS, links);
            LibraryEntry e = stored.entry();
            library.update(id, e.revision(), new WorkflowDraft(e.name(), e.metadata().description(), e.metadata().tags(),
                    e.metadata().source(), stored.workflow(), null, attributes));
        }
        return file;
    }

    private ComfyClient client(String serverId) {
        return clients.client(serverId)
                .orElseThrow(() -> new IllegalArgumentException("no server \"" + serverId + "\" is registered"));
    }

    /** Path below {@code workflows/} → library id, for one server. */
    private Map<String, String> linkedPaths(String serverId) {
        Map<String, String> linked = new HashMap<>();
        for (LibraryEntry e : library.entries()) {
            JsonObject attributes = e.attributes();
            if (attributes.has(LINKS) && attributes.get(LINKS).isJsonObject()
                    && attributes.getAsJsonObject(LINKS).has(serverId)) {
                linked.put(attributes.getAsJsonObject(LINKS).get(serverId).getAsString(), e.id());
            }
        }
        return linked;
    }

    private Optional<LibraryEntry> linkedEntry(String serverId, String path) {
        return Optional.ofNullable(linkedPaths(serverId).get(path)).flatMap(library::entry);
    }

    private static String checkPath(String path) {
        if (path == null || path.isBlank() || path.startsWith("/") || path.contains("\\") || path.contains("..")
                || !path.endsWith(".json")) {
            throw new IllegalArgumentException("not a workflow path below workflows/: \"" + path
                    + "\" (a relative path ending in .json, without ..)");
        }
        return path;
    }

    private static String nameOf(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.substring(0, last.length() - ".json".length());
    }

    /** As the frontend names a saved workflow: its name plus {@code .json}, without characters paths cannot hold. */
    private static String fileNameOf(String name) {
        String clean = name.replaceAll("[\\\\/:*?\"<>|]+", "_").strip();
        return (clean.isEmpty() ? "workflow" : clean) + ".json";
    }
}
