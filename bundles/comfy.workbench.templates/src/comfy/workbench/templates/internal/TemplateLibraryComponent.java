package comfy.workbench.templates.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import comfy.workbench.connection.api.DataLocation;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateDraft;
import comfy.workbench.templates.api.TemplateException;
import comfy.workbench.templates.api.TemplateLibrary;
import comfy.workbench.templates.api.TemplateProblem;
import comfy.workbench.templates.api.TemplateService;
import comfy.workbench.templates.api.TemplateTopics;
import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryException;
import comfy.workbench.workflows.api.LibraryProblem;
import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.StoredWorkflow;
import comfy.workbench.workflows.api.WorkflowDraft;
import comfy.workbench.workflows.api.WorkflowLibraries;
import comfy.workbench.workflows.api.WorkflowLibrary;
import comfy.workbench.workflows.api.WorkflowQuery;

/** The {@link TemplateLibrary}: a workflow library on {@code templates/}, the parameters in each entry's attributes. */
@Component(service = TemplateLibrary.class)
public final class TemplateLibraryComponent implements TemplateLibrary {

    static final String AREA = "templates";

    private final WorkflowLibrary library;
    private final TemplateService templates;
    /** Tells views and other bundles of changes, so that they need not poll; absent in a bare framework. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Activate
    public TemplateLibraryComponent(@Reference DataLocation data, @Reference WorkflowLibraries libraries,
            @Reference TemplateService templates) {
        this.templates = templates;
        try {
            this.library = libraries.open(data.area(AREA));
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, null, "cannot create the template folder "
                    + data.root().resolve(AREA) + ": " + e, e);
        }
    }

    @Override
    public java.nio.file.Path folder() {
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
    public Template read(String id) {
        return template(library.read(id));
    }

    @Override
    public Template create(TemplateDraft draft) {
        LibraryEntry entry = library.create(checked(draft));
        announce("CREATED", entry.id());
        return new Template(entry.id(), entry.revision(), entry.metadata(), draft.workflow(), draft.parameters(), List.of());
    }

    @Override
    public Template update(String id, long expectedRevision, TemplateDraft draft) {
        LibraryEntry entry = library.update(id, expectedRevision, checked(draft));
        announce("UPDATED", id);
        return new Template(entry.id(), entry.revision(), entry.metadata(), draft.workflow(), draft.parameters(), List.of());
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
    public List<LibraryProblem> problems() {
        return library.problems();
    }

    @Override
    public void refresh() {
        library.refresh();
        announce("RELOADED", null);
    }

    private void announce(String change, String id) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            Map<String, Object> properties = new HashMap<>();
            properties.put(TemplateTopics.CHANGE, change);
            if (id != null) {
                properties.put(TemplateTopics.ID, id);
            }
            admin.postEvent(new Event(TemplateTopics.LIBRARY_CHANGED, properties));
        }
    }

    private Template template(StoredWorkflow stored) {
        List<Parameter> parameters = ParameterJson.parameters(stored.entry().attributes(), stored.id());
        List<TemplateProblem> problems = templates.check(stored.workflow(), parameters);
        return new Template(stored.id(), stored.revision(), stored.entry().metadata(), stored.workflow(), parameters,
                problems);
    }

    private WorkflowDraft checked(TemplateDraft draft) {
        Set<String> names = new HashSet<>();
        for (Parameter p : draft.parameters()) {
            if (!names.add(p.name())) {
                throw new TemplateException(TemplateException.Kind.BAD_DEFINITION, "template " + draft.name()
                        + ": two parameters are named " + p.name());
            }
        }
        List<TemplateProblem> problems = templates.check(draft.workflow(), draft.parameters());
        if (!problems.isEmpty()) {
            throw new TemplateException(TemplateException.Kind.BAD_DEFINITION, "template " + draft.name()
                    + " does not fit its workflow", problems.stream().map(TemplateProblem::message).toList(), null);
        }
        return new WorkflowDraft(draft.name(), draft.description(), draft.tags(), draft.source(), draft.workflow(),
                draft.schema(), ParameterJson.attributes(draft.parameters()));
    }
}
