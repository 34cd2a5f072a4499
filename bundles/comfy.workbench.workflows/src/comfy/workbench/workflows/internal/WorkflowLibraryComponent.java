package comfy.workbench.workflows.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import comfy.workbench.connection.api.DataLocation;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryException;
import comfy.workbench.workflows.api.LibraryProblem;
import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.StoredWorkflow;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowLibraries;
import comfy.workbench.workflows.api.WorkflowLibrary;
import comfy.workbench.workflows.api.WorkflowQuery;
import comfy.workbench.workflows.api.WorkflowTopics;

/** The user's workflow library: {@code workflows/} under the {@link DataLocation}. */
@Component(service = WorkflowLibrary.class)
public final class WorkflowLibraryComponent implements WorkflowLibrary {

    static final String AREA = "workflows";

    private final WorkflowLibrary library;
    /** Tells views and other bundles of changes, so that they need not poll; absent in a bare framework. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Activate
    public WorkflowLibraryComponent(@Reference DataLocation data, @Reference WorkflowLibraries libraries) {
        try {
            library = libraries.open(data.area(AREA));
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, null, "cannot create the workflow library folder "
                    + data.root().resolve(AREA) + ": " + e, e);
        }
    }

    @Override
    public Path folder() {
        return library.folder();
    }

    @Override
    public List<LibraryEntry> entries() {
        return library.entries();
    }

    @Override
    public Optional<LibraryEntry> entry(String id) {
        return library.entry(id);
    }

    @Override
    public StoredWorkflow read(String id) {
        return library.read(id);
    }

    @Override
    public LibraryEntry create(WorkflowDraft draft) {
        LibraryEntry created = library.create(draft);
        announce("CREATED", created.id());
        return created;
    }

    @Override
    public LibraryEntry update(String id, long expectedRevision, WorkflowDraft draft) {
        LibraryEntry updated = library.update(id, expectedRevision, draft);
        announce("UPDATED", id);
        return updated;
    }

    @Override
    public void delete(String id, long expectedRevision) {
        library.delete(id, expectedRevision);
        announce("DELETED", id);
    }

    @Override
    public List<SearchHit> search(WorkflowQuery query) {
        return library.search(query);
    }

    @Override
    public void refresh() {
        library.refresh();
        announce("RELOADED", null);
    }

    @Override
    public List<LibraryProblem> problems() {
        return library.problems();
    }

    private void announce(String change, String id) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            Map<String, Object> properties = new HashMap<>();
            properties.put(WorkflowTopics.CHANGE, change);
            if (id != null) {
                properties.put(WorkflowTopics.ID, id);
            }
            admin.postEvent(new Event(WorkflowTopics.LIBRARY_CHANGED, properties));
        }
    }
}
