package comfy.workbench.templates.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryProblem;
import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.WorkflowQuery;

/**
 * The user's templates, in {@code templates/} under the data folder, kept as the workflow library keeps workflows
 * (the same files plus the parameters in the metadata; the same crash safety, revision checks and search).
 * Failures are {@code LibraryException}s as there, and {@link TemplateException}s for bad parameters.
 */
@ProviderType
public interface TemplateLibrary {

    /** The folder the templates are kept in. */
    java.nio.file.Path folder();

    /** Every template's index entry, by name. */
    List<LibraryEntry> entries();

    /** A template's entry. */
    Optional<LibraryEntry> entry(String id);

    /**
     * Reads a template and checks its bindings against its workflow: {@link Template#problems()} lists the ones that
     * no longer fit.
     *
     * @throws TemplateException {@code CORRUPT} when the stored parameters cannot be read
     */
    Template read(String id);

    /**
     * Stores a new template.
     *
     * @throws TemplateException {@code BAD_DEFINITION} when a binding does not fit the workflow or names repeat
     */
    Template create(TemplateDraft draft);

    /** Replaces a template (checked as {@link #create}); a {@code LibraryException} {@code CONFLICT} if it changed since. */
    Template update(String id, long expectedRevision, TemplateDraft draft);

    /** Deletes a template. */
    void delete(String id, long expectedRevision);

    /** Searches names, descriptions, tags, node classes and output types of the templates' workflows. */
    List<SearchHit> search(WorkflowQuery query);

    /** Files of the template folder that could not be loaded. */
    List<LibraryProblem> problems();

    /** Reloads from disk. */
    void refresh();
}
