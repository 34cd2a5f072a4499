package comfy.workbench.templates.tests;

import java.util.List;

import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.templates.api.Binding;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateService;
import comfy.workbench.testing.captures.Captures;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowCodec;
import comfy.workbench.workflows.api.WorkflowMetadata;

/** The captured node schema and a small image workflow with a parameter of every type. */
final class Fixtures {

    /**
     * LoadImage → ImageBlur → ImageScale → SaveImage, plus an unconnected RandomNoise for a seed (the server only
     * checks what an output node depends on).
     */
    static final String BASE = """
            {"1": {"class_type": "LoadImage", "inputs": {"image": "example.png"}},
             "2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 3, "sigma": 1.5}},
             "3": {"class_type": "ImageScale", "inputs": {"image": ["2", 0], "upscale_method": "bilinear",
                   "width": 256, "height": 256, "crop": "disabled"}, "_meta": {"title": "Resize"}},
             "4": {"class_type": "SaveImage", "inputs": {"images": ["3", 0], "filename_prefix": "tpl"}},
             "5": {"class_type": "RandomNoise", "inputs": {"noise_seed": 7}}}
            """;

    private static NodeSchema schema;

    private Fixtures() {
    }

    static synchronized NodeSchema schema() {
        if (schema == null) {
            schema = NodeSchema.parse(Captures.locate().read("object_info.json"), "object_info.json");
        }
        return schema;
    }

    static Workflow base(WorkflowCodec codec) {
        return codec.readApi(BASE, "base.json");
    }

    /** image, radius, sigma, method, size (width and height), prefix, seed. */
    static List<Parameter> parameters(TemplateService service, Workflow base) {
        NodeSchema s = schema();
        return List.of(service.parameter(base, s, "image", List.of(new Binding("1", "image"))),
                service.parameter(base, s, "radius", List.of(new Binding("2", "blur_radius"))),
                service.parameter(base, s, "sigma", List.of(new Binding("2", "sigma"))),
                service.parameter(base, s, "method", List.of(new Binding("3", "upscale_method"))),
                service.parameter(base, s, "size", List.of(new Binding("3", "width"), new Binding("3", "height"))),
                service.parameter(base, s, "prefix", List.of(new Binding("4", "filename_prefix"))),
                service.parameter(base, s, "seed", List.of(new Binding("5", "noise_seed"))));
    }

    static Template template(TemplateService service, Workflow base) {
        java.time.Instant now = java.time.Instant.parse("2026-11-28T12:00:00Z");
        return new Template(null, 0, new WorkflowMetadata("Blur and resize", "", List.of(), now, now, ""), base,
                parameters(service, base), List.of());
    }
}
