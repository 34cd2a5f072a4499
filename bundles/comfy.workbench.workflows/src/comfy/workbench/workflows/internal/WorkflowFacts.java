package comfy.workbench.workflows.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import comfy.workbench.model.api.NodeClass;
import comfy.workbench.model.api.NodeOutput;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.model.api.PromptNode;
import comfy.workbench.workflows.api.UiWorkflow;
import comfy.workbench.workflows.api.Workflow;

/** What the index keeps of a workflow's graph: the node classes it uses and the types its outputs take in. */
record WorkflowFacts(Set<String> nodeClasses, Set<String> outputTypes) {

    static WorkflowFacts of(Workflow workflow, NodeSchema schema) {
        PromptGraph prompt = workflow.prompt();
        Set<String> classes = new TreeSet<>();
        for (PromptNode node : prompt.nodes().values()) {
            classes.add(node.classType());
        }
        Set<String> types = schema != null ? outputTypesBySchema(prompt, schema) : Set.of();
        if (types.isEmpty() && workflow.ui() != null) {
            types = outputTypesByUiLinks(prompt, workflow.ui());
        }
        return new WorkflowFacts(classes, types);
    }

    /** The types of the links into the schema's output nodes, as the source slots declare them. */
    private static Set<String> outputTypesBySchema(PromptGraph prompt, NodeSchema schema) {
        Set<String> types = new TreeSet<>();
        for (PromptNode node : prompt.nodes().values()) {
            if (!schema.nodeClass(node.classType()).map(NodeClass::outputNode).orElse(false)) {
                continue;
            }
            for (String input : node.inputs().keySet()) {
                node.link(input).ifPresent(link -> prompt.node(link.nodeId())
                        .flatMap(source -> schema.nodeClass(source.classType()))
                        .filter(source -> link.slot() >= 0 && link.slot() < source.outputs().size())
                        .map(source -> source.outputs().get(link.slot()))
                        .map(NodeOutput::type)
                        .filter(type -> !type.equals("*"))
                        .ifPresent(types::add));
            }
        }
        return types;
    }

    /** Without a schema: the UI links into nodes nothing reads from (the graph's sinks), typed as the UI saved them. */
    private static Set<String> outputTypesByUiLinks(PromptGraph prompt, UiWorkflow ui) {
        Set<String> sources = new HashSet<>();
        for (PromptNode node : prompt.nodes().values()) {
            JsonObject inputs = node.inputs();
            for (String name : inputs.keySet()) {
                JsonElement value = inputs.get(name);
                PromptNode.Link.of(value).ifPresent(link -> sources.add(link.nodeId()));
            }
        }
        Set<String> types = new TreeSet<>();
        for (UiWorkflow.Link link : ui.links().values()) {
            if (prompt.node(link.targetId()).isPresent() && !sources.contains(link.targetId()) && link.type() != null
                    && !link.type().equals("*")) {
                types.add(link.type());
            }
        }
        return types;
    }
}
