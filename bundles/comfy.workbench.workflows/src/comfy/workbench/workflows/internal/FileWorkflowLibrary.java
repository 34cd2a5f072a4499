package comfy.workbench.workflows.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

import comfy.workbench.model.api.ComfyJson;
import comfy.workbench.model.api.ComfyJsonException;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryException;
import comfy.workbench.workflows.api.LibraryException.Kind;
import comfy.workbench.workflows.api.LibraryProblem;
import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.StoredWorkflow;
import comfy.workbench.workflows.api.UiWorkflow;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowFormat;
import comfy.workbench.workflows.api.WorkflowLibrary;
import comfy.workbench.workflows.api.WorkflowMetadata;
import comfy.workbench.workflows.api.WorkflowQuery;

/**
 * A {@link WorkflowLibrary} on a folder. A change is committed by one file: the new metadata's temporary file
 * {@code <id>.meta.json.tmp}, written (and forced to disk) after the new content's temporary files and before any
 * of them is renamed into place. Loading finds an interrupted change by that file: complete, the change is rolled
 * forward (the remaining renames are done); incomplete, the temporary files are discarded and the old workflow
 * stands. A delete removes the content first and the metadata last; metadata without content is a delete to finish.
 * <p>
 * In-process calls are serialised by a monitor, processes by a lock on {@code .lock} in the folder.
 */
public final class FileWorkflowLibrary implements WorkflowLibrary {

    static final String MAIN = ".json";
    static final String API = ".api.json";
    static final String META = ".meta.json";
    static final String TMP = ".tmp";
    private static final int META_VERSION = 1;

    private final Path folder;
    private final WorkflowCodec codec;
    private final Clock clock;
    private final Consumer<String> checkpoint;
    private final Object mutex = new Object();
    private volatile LibraryIndex index = LibraryIndex.EMPTY;

    /** A library on {@code folder}, loaded (and recovered) now. */
    public FileWorkflowLibrary(Path folder, WorkflowCodec codec, Clock clock) {
        this(folder, codec, clock, step -> {
        });
    }

    /**
     * @param checkpoint called at the steps of a write ({@code content}, {@code committed}, {@code renamed}) and of
     *                   a delete ({@code content-deleted}); tests throw from it to stand for a crash there
     */
    FileWorkflowLibrary(Path folder, WorkflowCodec codec, Clock clock, Consumer<String> checkpoint) {
        this.folder = folder.toAbsolutePath().normalize();
        this.codec = codec;
        this.clock = clock;
        this.checkpoint = checkpoint;
        try {
            Files.createDirectories(this.folder);
        } catch (IOException e) {
            throw new LibraryException(Kind.IO, null, "cannot create the library folder " + this.folder + ": " + e, e);
        }
        refresh();
    }

    @Override
    public Path folder() {
        return folder;
    }

    @Override
    public List<LibraryEntry> entries() {
        return index.entries();
    }

    @Override
    public Optional<LibraryEntry> entry(String id) {
        return Optional.ofNullable(index.entry(id));
    }

    @Override
    public List<SearchHit> search(WorkflowQuery query) {
        return index.search(query);
    }

    @Override
    public List<LibraryProblem> problems() {
        return index.problems();
    }

    @Override
    public void refresh() {
        locked(null, () -> {
            recover();
            List<LibraryEntry> entries = new ArrayList<>();
            List<LibraryProblem> problems = new ArrayList<>();
            for (Path file : list()) {
                String name = file.getFileName().toString();
                if (name.endsWith(META)) {
                    try {
                        entries.add(readMeta(file, stem(name, META)).entry());
                    } catch (LibraryException e) {
                        problems.add(new LibraryProblem(file, e.getMessage()));
                    }
                } else if (name.endsWith(MAIN) && !name.endsWith(API)
                        && !Files.exists(folder.resolve(stem(name, MAIN) + META))) {
                    problems.add(new LibraryProblem(file, file.getFileName() + " is not in the library (there is no "
                            + stem(name, MAIN) + META + "); import it to add it"));
                }
            }
            index = LibraryIndex.of(entries, problems);
            return null;
        });
    }

    @Override
    public StoredWorkflow read(String id) {
        return locked(id, () -> {
            Meta meta = currentMeta(id);
            LibraryEntry entry = meta.entry();
            Path main = folder.resolve(id + MAIN);
            String mainText = readText(id, main);
            Workflow workflow;
            try {
                if (entry.format() == WorkflowFormat.UI_JSON) {
                    UiWorkflow ui = UiWorkflow.parse(mainText, main.getFileName().toString());
                    Path api = folder.resolve(id + API);
                    PromptGraph prompt = PromptGraph.parse(readText(id, api), api.getFileName().toString());
                    workflow = new Workflow(prompt, ui, meta.importedFrom());
                } else {
                    workflow = new Workflow(PromptGraph.parse(mainText, main.getFileName().toString()), null,
                            meta.importedFrom());
                }
            } catch (WorkflowException | ComfyJsonException | IllegalArgumentException e) {
                throw new LibraryException(Kind.CORRUPT, id, "workflow " + id + " is damaged: " + e.getMessage(), e);
            }
            return new StoredWorkflow(entry, workflow);
        });
    }

    @Override
    public LibraryEntry create(WorkflowDraft draft) {
        return locked(null, () -> {
            String id = newId(draft.name());
            Instant now = now();
            return write(id, 1, now, now, draft);
        });
    }

    @Override
    public LibraryEntry update(String id, long expectedRevision, WorkflowDraft draft) {
        return locked(id, () -> {
            LibraryEntry current = currentEntry(id);
            checkRevision(current, expectedRevision);
            Instant now = now();
            Instant modified = now.isAfter(current.metadata().modified()) ? now : current.metadata().modified().plusMillis(1);
            return write(id, current.revision() + 1, current.metadata().created(), modified, draft);
        });
    }

    @Override
    public void delete(String id, long expectedRevision) {
        locked(id, () -> {
            LibraryEntry current = currentEntry(id);
            checkRevision(current, expectedRevision);
            try {
                Files.deleteIfExists(folder.resolve(id + MAIN));
                checkpoint.accept("content-deleted");
                Files.deleteIfExists(folder.resolve(id + API));
                Files.deleteIfExists(folder.resolve(id + META));
            } catch (IOException e) {
                throw new LibraryException(Kind.IO, id, "cannot delete workflow " + id + ": " + e, e);
            }
            index = index.without(id);
            return null;
        });
    }

    // ---- writing

    private LibraryEntry write(String id, long revision, Instant created, Instant modified, WorkflowDraft draft)
            throws IOException {
        Workflow workflow = draft.workflow();
        WorkflowFormat form = workflow.ui() != null ? WorkflowFormat.UI_JSON : WorkflowFormat.API_JSON;
        WorkflowFacts facts = WorkflowFacts.of(workflow, draft.schema());
        LibraryEntry entry = new LibraryEntry(id, revision, new WorkflowMetadata(draft.name(), draft.description(),
                draft.tags(), created, modified, draft.source()), form, facts.nodeClasses(), facts.outputTypes(),
                draft.attributes());
        if (form == WorkflowFormat.UI_JSON) {
            writeTemp(id + MAIN, codec.writeUi(workflow).orElseThrow());
            writeTemp(id + API, codec.writeApi(workflow));
        } else {
            writeTemp(id + MAIN, codec.writeApi(workflow));
        }
        checkpoint.accept("content");
        writeTemp(id + META, ComfyJson.write(metaJson(entry, workflow.source())));
        checkpoint.accept("committed");
        rollForward(id, form);
        index = index.with(entry);
        return entry;
    }

    /** Renames the committed temporary files of {@code id} into place, the metadata last. */
    private void rollForward(String id, WorkflowFormat form) throws IOException {
        moveIfPresent(id + MAIN);
        if (form == WorkflowFormat.UI_JSON) {
            moveIfPresent(id + API);
        } else {
            Files.deleteIfExists(folder.resolve(id + API));
        }
        checkpoint.accept("renamed");
        moveIfPresent(id + META);
        forceFolder();
    }

    private void writeTemp(String name, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try (FileChannel out = FileChannel.open(folder.resolve(name + TMP), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
    }

    private void moveIfPresent(String name) throws IOException {
        Path temp = folder.resolve(name + TMP);
        if (!Files.exists(temp)) {
            return;
        }
        try {
            Files.move(temp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the renames durable; not every platform can open a folder for that, and then the rename is as good as it gets. */
    private void forceFolder() {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    // ---- recovery after a crash

    private void recover() throws IOException {
        List<Path> files = list();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(META + TMP)) {
                String id = stem(name, META + TMP);
                Optional<JsonObject> committed = parseQuietly(file);
                if (committed.isPresent()) {
                    WorkflowFormat form = committed.get().has("format")
                            && "UI_JSON".equals(committed.get().get("format").getAsString()) ? WorkflowFormat.UI_JSON
                                    : WorkflowFormat.API_JSON;
                    rollForward(id, form);
                }
            }
        }
        for (Path file : list()) {
            String name = file.getFileName().toString();
            if (name.endsWith(TMP)) {
                Files.deleteIfExists(file); // an uncommitted change
            } else if (name.endsWith(META) && !Files.exists(folder.resolve(stem(name, META) + MAIN))) {
                Files.deleteIfExists(folder.resolve(stem(name, META) + API)); // an interrupted delete
                Files.deleteIfExists(file);
            }
        }
    }

    private static Optional<JsonObject> parseQuietly(Path file) {
        try {
            JsonElement json = ComfyJson.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            return json.isJsonObject() && json.getAsJsonObject().has("revision") ? Optional.of(json.getAsJsonObject())
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    // ---- metadata

    private JsonObject metaJson(LibraryEntry entry, WorkflowFormat importedFrom) {
        WorkflowMetadata m = entry.metadata();
        JsonObject json = new JsonObject();
        json.addProperty("version", META_VERSION);
        json.addProperty("revision", entry.revision());
        json.addProperty("name", m.name());
        json.addProperty("description", m.description());
        json.add("tags", ordered(m.tags()));
        json.addProperty("created", m.created().toString());
        json.addProperty("modified", m.modified().toString());
        json.addProperty("source", m.source());
        json.addProperty("format", entry.format().name());
        json.addProperty("importedFrom", importedFrom.name());
        json.add("nodeClasses", strings(entry.nodeClasses()));
        json.add("outputTypes", strings(entry.outputTypes()));
        json.add("attributes", entry.attributes());
        return json;
    }

    private static JsonArray ordered(List<String> values) {
        JsonArray array = new JsonArray();
        values.forEach(array::add);
        return array;
    }

    private static JsonArray strings(java.util.Collection<String> values) {
        JsonArray array = new JsonArray();
        values.stream().sorted().forEachOrdered(array::add);
        return array;
    }

    /** A metadata file: the index entry, and the form the workflow was first read from. */
    private record Meta(LibraryEntry entry, WorkflowFormat importedFrom) {
    }

    private Meta readMeta(Path file, String id) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw notFound(id);
        } catch (IOException e) {
            throw new LibraryException(Kind.IO, id, "cannot read " + file + ": " + e, e);
        }
        try {
            JsonObject json = ComfyJson.parseObject(text, file.getFileName().toString());
            int version = json.has("version") ? json.get("version").getAsInt() : 0;
            if (version != META_VERSION) {
                throw new IllegalArgumentException("unknown metadata version " + version + " (this library reads "
                        + META_VERSION + ")");
            }
            List<String> tags = new ArrayList<>();
            if (json.has("tags") && json.get("tags").isJsonArray()) {
                json.getAsJsonArray("tags").forEach(t -> tags.add(t.getAsString()));
            }
            WorkflowMetadata metadata = new WorkflowMetadata(json.get("name").getAsString(),
                    optString(json, "description"), tags, Instant.parse(json.get("created").getAsString()),
                    Instant.parse(json.get("modified").getAsString()), optString(json, "source"));
            LibraryEntry entry = new LibraryEntry(id, json.get("revision").getAsLong(), metadata,
                    WorkflowFormat.valueOf(json.get("format").getAsString()), stringSet(json, "nodeClasses"),
                    stringSet(json, "outputTypes"),
                    json.has("attributes") && json.get("attributes").isJsonObject() ? json.getAsJsonObject("attributes")
                            : null);
            return new Meta(entry, importedFrom(json));
        } catch (ComfyJsonException | JsonParseException | IllegalStateException | UnsupportedOperationException
                | NullPointerException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new LibraryException(Kind.CORRUPT, id, file.getFileName() + " is not valid library metadata: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() + " (a field is missing)" : e.getMessage()),
                    e);
        }
    }

    /** Only informative: a missing or unknown value reads as API JSON rather than making the metadata invalid. */
    private static WorkflowFormat importedFrom(JsonObject meta) {
        try {
            return meta.has("importedFrom") ? WorkflowFormat.valueOf(meta.get("importedFrom").getAsString())
                    : WorkflowFormat.API_JSON;
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            return WorkflowFormat.API_JSON;
        }
    }

    private static String optString(JsonObject json, String key) {
        return json.has(key) && json.get(key).isJsonPrimitive() ? json.get(key).getAsString() : "";
    }

    private static Set<String> stringSet(JsonObject json, String key) {
        Set<String> values = new TreeSet<>();
        if (json.has(key) && json.get(key).isJsonArray()) {
            for (JsonElement e : json.getAsJsonArray(key)) {
                values.add(e.getAsString());
            }
        }
        return values;
    }

    /** The entry as on disk now (another process may have changed it), refreshed in the index. */
    private LibraryEntry currentEntry(String id) {
        return currentMeta(id).entry();
    }

    private Meta currentMeta(String id) {
        if (!isPlainId(id)) {
            throw notFound(id);
        }
        Path meta = folder.resolve(id + META);
        if (!Files.exists(meta) || !Files.exists(folder.resolve(id + MAIN))) {
            index = index.without(id);
            throw notFound(id);
        }
        Meta read = readMeta(meta, id);
        if (!read.entry().equals(index.entry(id))) {
            index = index.with(read.entry()); // another process changed it
        }
        return read;
    }

    private static void checkRevision(LibraryEntry current, long expected) {
        if (current.revision() != expected) {
            throw new LibraryException(Kind.CONFLICT, current.id(), "workflow " + current.id() + " (\""
                    + current.name() + "\") was changed since revision " + expected + ": it is at revision "
                    + current.revision() + ", modified " + current.metadata().modified() + "; reload it and try again");
        }
    }

    private static LibraryException notFound(String id) {
        return new LibraryException(Kind.NOT_FOUND, id, "there is no workflow " + id + " in the library");
    }

    private String readText(String id, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new LibraryException(Kind.CORRUPT, id, "workflow " + id + " is damaged: " + file.getFileName()
                    + " is missing");
        } catch (IOException e) {
            throw new LibraryException(Kind.IO, id, "cannot read " + file + ": " + e, e);
        }
    }

    // ---- ids, files, locking

    /**
     * A readable id from the name, made unique with a counter: {@code Portrait (SDXL)} → {@code portrait-sdxl},
     * {@code Café crème} → {@code cafe-creme}, and letters of any script kept ({@code ポートレート} stays so): a
     * library of Japanese or Chinese names would otherwise be {@code workflow}, {@code workflow-2}, ...
     */
    private String newId(String name) {
        // accents come off Latin letters only: other scripts' marks are part of the letter (ガ is not カ)
        String slug = Normalizer.normalize(Normalizer.normalize(name, Normalizer.Form.NFKD)
                .replaceAll("(?<=\\p{IsLatin})\\p{M}+", ""), Normalizer.Form.NFC)
                .toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        if (slug.isEmpty()) {
            slug = "workflow";
        }
        String id = slug;
        for (int n = 2; taken(id); n++) {
            id = slug + "-" + n;
        }
        return id;
    }

    private boolean taken(String id) {
        return index.contains(id) || Files.exists(folder.resolve(id + META)) || Files.exists(folder.resolve(id + MAIN));
    }

    private static boolean isPlainId(String id) {
        return id != null && !id.isEmpty() && !id.startsWith(".") && id.indexOf('/') < 0 && id.indexOf('\\') < 0
                && id.indexOf(':') < 0;
    }

    private static String stem(String fileName, String suffix) {
        return fileName.substring(0, fileName.length() - suffix.length());
    }

    private List<Path> list() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder)) {
            for (Path p : dir) {
                if (!p.getFileName().toString().startsWith(".")) {
                    files.add(p);
                }
            }
        }
        return files;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    @FunctionalInterface
    private interface Action<T> {
        T run() throws IOException;
    }

    private <T> T locked(String id, Action<T> action) {
        synchronized (mutex) {
            try (FileChannel lockFile = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                return action.run();
            } catch (IOException e) {
                throw new LibraryException(Kind.IO, id, "library " + folder + ": " + e, e);
            }
        }
    }
}
