package comfy.workbench.ui.workflows.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.ui.common.Refusal;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryNames;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowException;
import comfy.workbench.workflows.api.WorkflowLibrary;

/**
 * Imports workflow files into the library as {@code comfy workflows import} does: the codec reads API JSON, UI JSON
 * and PNG metadata, each workflow is named after its file and remembers the file as its source; a name the library
 * (or another file of the import) already has gets a number ({@link LibraryNames}), {@code portrait (2)}.
 */
final class Importer {

    private final WorkflowLibrary library;
    private final WorkflowCodec codec;
    private final Supplier<NodeSchema> schema;
    private NodeSchema fetched;

    /**
     * @param schema a server's node schema, asked for at most once: a file that needs converting (UI JSON, a PNG
     *               without a {@code prompt} chunk) fails without it, the others are stored without their output types;
     *               throws {@link Refusal} when there is none
     */
    Importer(WorkflowLibrary library, WorkflowCodec codec, Supplier<NodeSchema> schema) {
        this.library = library;
        this.codec = codec;
        this.schema = schema;
    }

    /**
     * Reads every file, then adds them all; a file that cannot be imported stops the import before anything is
     * added, so the library is as it was.
     *
     * @throws WorkflowException naming the file and what in it is wrong
     * @throws Refusal           for a file that cannot be read
     */
    List<LibraryEntry> importFiles(List<Path> files) {
        LibraryNames names = new LibraryNames(library.entries());
        List<WorkflowDraft> drafts = new ArrayList<>();
        for (Path file : files) {
            String fileName = String.valueOf(file.getFileName());
            Workflow workflow = read(file, fileName);
            drafts.add(WorkflowDraft.of(names.claim(stem(fileName)), workflow).withSource(file.toAbsolutePath().toString()));
        }
        // the schema gives the library the types a graph outputs (an API graph says nothing of them itself), so that
        // output:IMAGE finds it; without a reachable server they stay unknown
        NodeSchema known = optionalSchema();
        return drafts.stream().map(d -> library.create(d.withSchema(known))).toList();
    }

    private Workflow read(Path file, String fileName) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Refusal(fileName + ": no such file: " + file);
        } catch (IOException e) {
            throw new Refusal(fileName + ": cannot read " + file + ": " + e.getMessage());
        }
        try {
            // without a schema first: API JSON and PNGs with a prompt need no server
            return codec.read(bytes, fileName, null);
        } catch (WorkflowException e) {
            if (e.kind() != WorkflowException.Kind.CONVERSION) {
                throw e;
            }
        }
        NodeSchema nodeSchema;
        try {
            nodeSchema = schema();
        } catch (Refusal e) {
            throw new Refusal(fileName + ": converting a UI workflow needs a server's node schema, and " + e.getMessage());
        }
        return codec.read(bytes, fileName, nodeSchema);
    }

    /** The schema, asked for once. */
    private NodeSchema schema() {
        if (fetched == null) {
            fetched = schema.get();
        }
        return fetched;
    }

    private NodeSchema optionalSchema() {
        try {
            return schema();
        } catch (Refusal e) {
            return null;
        }
    }

    /** The file name without its extension: a workflow's name unless the library had it. */
    static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

}
