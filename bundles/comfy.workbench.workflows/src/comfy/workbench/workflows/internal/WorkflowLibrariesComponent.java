package comfy.workbench.workflows.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowLibraries;
import comfy.workbench.workflows.api.WorkflowLibrary;

/**
 * The {@link WorkflowLibraries} service. One library object per folder in this framework: the file lock that keeps
 * processes apart is per JVM, so two objects on one folder must not exist here.
 */
@Component(service = WorkflowLibraries.class)
public final class WorkflowLibrariesComponent implements WorkflowLibraries {

    private final Map<Path, WorkflowLibrary> open = new ConcurrentHashMap<>();

    @Reference
    private WorkflowCodec codec;

    @Override
    public WorkflowLibrary open(Path folder) {
        return open.computeIfAbsent(folder.toAbsolutePath().normalize(),
                f -> new FileWorkflowLibrary(f, codec, Clock.systemUTC()));
    }
}
