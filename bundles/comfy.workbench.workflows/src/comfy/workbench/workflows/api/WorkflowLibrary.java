package comfy.workbench.workflows.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Workflows kept in a folder: per workflow a ComfyUI-compatible file {@code <id>.json} (the UI JSON when the UI
 * form is known, so ComfyUI's frontend opens it; else API JSON), the runnable graph {@code <id>.api.json} beside a
 * UI file, and the metadata {@code <id>.meta.json}.
 * <p>
 * Every change is written to temporary files first and committed by renaming; a crash at any point leaves either
 * the old or the new workflow, never a mixture, and the next start finishes or discards the interrupted change.
 * Changes name the revision they start from and fail with {@link LibraryException.Kind#CONFLICT} when someone
 * (another window, another process) changed the workflow in between. Files the library cannot read are reported
 * by {@link #problems()} and left alone. Thread-safe; several processes may share a folder.
 */
@ProviderType
public interface WorkflowLibrary {

    /** The folder. */
    Path folder();

    /** Every workflow, by name. */
    List<LibraryEntry> entries();

    /** A workflow's entry; empty if there is none with this id. */
    Optional<LibraryEntry> entry(String id);

    /**
     * Reads a workflow.
     *
     * @throws LibraryException {@code NOT_FOUND}, or {@code CORRUPT} when its files were damaged outside the library
     */
    StoredWorkflow read(String id);

    /** Adds a workflow under a new id derived from its name; gives its entry at revision 1. */
    LibraryEntry create(WorkflowDraft draft);

    /**
     * Replaces a workflow and its metadata (the creation time stays).
     *
     * @param expectedRevision the revision the caller's copy has
     * @throws LibraryException {@code NOT_FOUND}, or {@code CONFLICT} when the workflow's revision is another
     */
    LibraryEntry update(String id, long expectedRevision, WorkflowDraft draft);

    /**
     * Deletes a workflow.
     *
     * @throws LibraryException {@code NOT_FOUND}, or {@code CONFLICT} when the workflow's revision is another
     */
    void delete(String id, long expectedRevision);

    /** Searches names, descriptions, tags, node classes and output types; best hits first. */
    List<SearchHit> search(WorkflowQuery query);

    /** Reloads the index from the folder, picking up changes other processes made. */
    void refresh();

    /** The files of the folder that could not be loaded at the last (re)load. */
    List<LibraryProblem> problems();
}
