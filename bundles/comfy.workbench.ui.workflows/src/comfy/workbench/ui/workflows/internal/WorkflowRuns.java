package comfy.workbench.ui.workflows.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonElement;

import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.queue.api.Priority;
import comfy.workbench.queue.api.ServerPolicy;
import comfy.workbench.workflows.api.ValueControl;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;

/**
 * Submits workflows as {@code comfy run} does, counting the runs of each workflow in this workbench: each run is the
 * next queued run in the frontend's sense, so its seeds move as their control after generate says (else the server
 * answers a second run from its cache); the count starts again when the workflow's values change. One instance per workbench, kept in its root context, so that the Workflows
 * view and every editor count together.
 */
final class WorkflowRuns {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowRuns.class);

    /** Per workflow: the values of its controlled inputs its runs start from, and how many were submitted. */
    private final Map<String, Count> runs = new ConcurrentHashMap<>();

    private record Count(Map<ValueControl.Target, JsonElement> base, int submitted) {
    }
    private final RandomGenerator random = new SplittableRandom();

    /** The instance of the workbench (the root of {@code context}), made at the first call; UI thread. */
    static WorkflowRuns in(IEclipseContext context) {
        IEclipseContext root = context;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        WorkflowRuns runs = root.get(WorkflowRuns.class);
        if (runs == null) {
            runs = new WorkflowRuns();
            root.set(WorkflowRuns.class, runs);
        }
        return runs;
    }

    /**
     * Submits the next run of a workflow: normal priority, any server, the UI form sent as {@code extra_pnginfo} when
     * it describes the graph sent, so that the output PNGs carry it.
     *
     * @param id     the workflow's id in the library, which its runs are counted by
     * @param schema the node schema its value controls are read again with (the library keeps the UI form only)
     */
    Job submit(JobQueue queue, WorkflowCodec codec, String id, String name, Workflow workflow, NodeSchema schema) {
        return submit(queue, codec, id, name, workflow, schema, 1).get(0);
    }

    /**
     * Submits the next {@code count} runs of a workflow at once, its controls read once (a UI form is converted
     * again to find them).
     */
    List<Job> submit(JobQueue queue, WorkflowCodec codec, String id, String name, Workflow workflow, NodeSchema schema,
            int count) {
        Workflow w = withControls(codec, workflow, schema);
        // a controlled value (a seed) changed since, typed or saved, is what the next run has, as in the frontend,
        // where queueing moves the widget's value and what is typed there is queued next; other changes (the prompt's
        // text) leave the count, so that the seeds go on moving and no run is the same graph as an earlier one
        Map<ValueControl.Target, JsonElement> base = controlled(w);
        int first = runs.compute(id, (key, before) -> before == null || !before.base().equals(base)
                ? new Count(base, count) : new Count(before.base(), before.submitted() + count)).submitted() - count;
        List<JobRequest> requests = new ArrayList<>();
        for (int run = first; run < first + count; run++) {
            PromptGraph prompt = w.promptForRun(run, random);
            requests.add(JobRequest.of(prompt).withName(name).withExtraData(w.extraDataFor(prompt))
                    .withPriority(Priority.NORMAL).withPolicy(ServerPolicy.any()));
        }
        return queue.submitAll(requests);
    }

    /** The values of the inputs the workflow's controls move. */
    private static Map<ValueControl.Target, JsonElement> controlled(Workflow w) {
        Map<ValueControl.Target, JsonElement> values = new HashMap<>();
        for (ValueControl c : w.controls()) {
            for (ValueControl.Target t : c.targets()) {
                w.prompt().node(t.nodeId()).flatMap(n -> n.input(t.input())).ifPresent(v -> values.put(t, v));
            }
        }
        return values;
    }

    /**
     * The workflow with its value controls: a library keeps the UI form only, so they are read from it again; a
     * graph without a form (API JSON) gets those the frontend would give it. A form the codec cannot read any more
     * runs as stored.
     */
    private static Workflow withControls(WorkflowCodec codec, Workflow w, NodeSchema schema) {
        if (codec == null || !w.controls().isEmpty()) {
            return w;
        }
        if (w.uiForm().isEmpty()) {
            return new Workflow(w.prompt(), w.ui(), w.source(), codec.defaultControls(w.prompt(), schema));
        }
        try {
            List<ValueControl> controls = codec.readUi(w.uiForm().get().toJsonTree().toString(), "workflow", schema)
                    .controls();
            return new Workflow(w.prompt(), w.ui(), w.source(), controls);
        } catch (RuntimeException e) { // a WorkflowException, or a form the schema no longer fits
            LOG.debug("the controls of a stored UI form could not be read", e);
            return w;
        }
    }
}
