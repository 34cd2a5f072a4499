package comfy.workbench.templates.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.connection.api.ComfyClient;
import comfy.workbench.connection.api.ComfyException;
import comfy.workbench.connection.api.UploadRequest;
import comfy.workbench.model.api.InputSpec;
import comfy.workbench.model.api.NodeClass;
import comfy.workbench.model.api.NodeSchema;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.model.api.PromptNode;
import comfy.workbench.templates.api.Binding;
import comfy.workbench.templates.api.GraphChange;
import comfy.workbench.templates.api.Instance;
import comfy.workbench.templates.api.Parameter;
import comfy.workbench.templates.api.ParameterType;
import comfy.workbench.templates.api.Preview;
import comfy.workbench.templates.api.SweepAxis;
import comfy.workbench.templates.api.SweepPlan;
import comfy.workbench.templates.api.Template;
import comfy.workbench.templates.api.TemplateException;
import comfy.workbench.templates.api.TemplateException.Kind;
import comfy.workbench.templates.api.TemplateProblem;
import comfy.workbench.templates.api.TemplateService;
import comfy.workbench.workflows.api.UiWorkflow;
import comfy.workbench.workflows.api.Workflow;
import comfy.workbench.workflows.api.WorkflowValidator;

/** The {@link TemplateService}. */
@Component(service = TemplateService.class)
public final class DefaultTemplateService implements TemplateService {

    /** Cache of the files uploaded to each server, by file and its size and time, to the name the server gave. */
    static final String UPLOADS = "templates.uploads";

    private final WorkflowValidator validator;
    private final Supplier<Random> random;
    private final CacheManager caches;
    private final Cache<UploadedFile, String> uploads;

    /** A local file as uploaded to a server: a change of its size or time is a new file. */
    record UploadedFile(String serverId, java.net.URI server, Path file, long size, long modifiedMillis) {
    }

    @Activate
    public DefaultTemplateService(@Reference WorkflowValidator validator, @Reference CacheManager caches) {
        // a sweep or a --count run instantiates one image many times: upload it once per server, not once per job;
        // forgotten after a while, in case the server's input folder was emptied meanwhile
        this(validator, ThreadLocalRandom::current, caches, caches.create(CacheSpec.<UploadedFile, String>of(UPLOADS,
                CachePolicy.entries(1_000).withExpireAfterWrite(Duration.ofMinutes(10)))));
    }

    /**
     * Without the upload cache (every instantiation uploads its files). A factory, not a second two-argument
     * constructor: Declarative Services tried that one too, and logged an error at every start.
     *
     * @param random where seeds come from
     */
    public static DefaultTemplateService withoutUploadCache(WorkflowValidator validator, Supplier<Random> random) {
        return new DefaultTemplateService(validator, random, null, null);
    }

    private DefaultTemplateService(WorkflowValidator validator, Supplier<Random> random, CacheManager caches,
            Cache<UploadedFile, String> uploads) {
        this.validator = validator;
        this.random = random;
        this.caches = caches;
        this.uploads = uploads;
    }

    @Deactivate
    void deactivate() {
        if (caches != null) {
            caches.remove(UPLOADS);
        }
    }

    // ---- defining

    @Override
    public Parameter parameter(Workflow workflow, NodeSchema schema, String name, List<Binding> bindings) {
        if (bindings.isEmpty()) {
            throw new TemplateException(Kind.BAD_DEFINITION, "parameter " + name + " is bound to no input");
        }
        InputSpec first = spec(workflow.prompt(), schema, name, bindings.get(0));
        ParameterType type = typeOf(first);
        for (Binding b : bindings.subList(1, bindings.size())) {
            ParameterType other = typeOf(spec(workflow.prompt(), schema, name, b));
            if (other != type) {
                throw new TemplateException(Kind.BAD_DEFINITION, "parameter " + name + ": " + b + " is " + other
                        + ", but " + bindings.get(0) + " makes the parameter " + type);
            }
        }
        PromptNode node = workflow.prompt().node(bindings.get(0).nodeId()).orElseThrow();
        JsonElement current = node.input(first.name()).orElse(null);
        // one value goes to every bound input: inputs that differ would all take the first's, and the template's
        // defaults would no longer make its workflow
        for (Binding b : bindings.subList(1, bindings.size())) {
            JsonElement other = workflow.prompt().node(b.nodeId()).flatMap(n -> n.input(b.input())).orElse(null);
            if (current != null && other != null && !current.equals(other)) {
                throw new TemplateException(Kind.BAD_DEFINITION, "parameter " + name + ": " + bindings.get(0) + " is "
                        + current + " but " + b + " is " + other + ", and a parameter gives all its inputs one value; "
                        + "bind them to parameters of their own, or make them equal in the workflow first");
            }
        }
        JsonElement defaultValue = current != null ? current : first.defaultValue().orElse(null);
        return new Parameter(name, name, type, first.min().orElse(null), first.max().orElse(null),
                first.step().orElse(null), first.comboOptions(), type == ParameterType.INT && first.controlAfterGenerate(),
                defaultValue, bindings);
    }

    private static InputSpec spec(PromptGraph prompt, NodeSchema schema, String parameter, Binding b) {
        PromptNode node = prompt.node(b.nodeId()).orElseThrow(() -> new TemplateException(Kind.BAD_DEFINITION,
                "parameter " + parameter + ": the workflow has no node " + b.nodeId()));
        NodeClass cls = schema.nodeClass(node.classType()).orElseThrow(() -> new TemplateException(Kind.BAD_DEFINITION,
                "parameter " + parameter + ": node " + b.nodeId() + " is a " + node.classType()
                        + ", a class the server's schema does not have"));
        InputSpec spec = cls.input(b.input()).orElseThrow(() -> new TemplateException(Kind.BAD_DEFINITION,
                "parameter " + parameter + ": node " + b.nodeId() + " (" + node.classType() + ") has no input \""
                        + b.input() + "\""));
        if (!spec.kind().isWidget()) {
            throw new TemplateException(Kind.BAD_DEFINITION, "parameter " + parameter + ": " + b + " (" + node.classType()
                    + ") takes a link of type " + spec.type() + "; only widget inputs can be parameters");
        }
        Optional<PromptNode.Link> link = node.link(b.input());
        if (link.isPresent()) {
            throw new TemplateException(Kind.BAD_DEFINITION, "parameter " + parameter + ": " + b + " ("
                    + node.classType() + ") is fed by a link from node " + link.get().nodeId());
        }
        return spec;
    }

    private static ParameterType typeOf(InputSpec spec) {
        return switch (spec.kind()) {
            case INT -> ParameterType.INT;
            case FLOAT -> ParameterType.FLOAT;
            case STRING -> ParameterType.STRING;
            case BOOLEAN -> ParameterType.BOOLEAN;
            case COMBO -> spec.imageUpload() ? ParameterType.IMAGE : ParameterType.COMBO;
            case LINK, HIDDEN -> throw new IllegalArgumentException(spec.kind().toString());
        };
    }

    @Override
    public List<Parameter> appParameters(Workflow workflow, NodeSchema schema) {
        UiWorkflow ui = workflow.ui();
        if (ui == null) {
            return List.of();
        }
        JsonObject tree = ui.toJsonTree();
        JsonElement extra = tree.get("extra");
        JsonElement linear = extra != null && extra.isJsonObject() ? extra.getAsJsonObject().get("linearData") : null;
        JsonElement inputs = linear != null && linear.isJsonObject() ? linear.getAsJsonObject().get("inputs") : null;
        if (inputs == null || !inputs.isJsonArray()) {
            return List.of();
        }
        List<Binding> bindings = new ArrayList<>();
        for (JsonElement entry : inputs.getAsJsonArray()) {
            if (!entry.isJsonArray() || entry.getAsJsonArray().size() < 2
                    || !entry.getAsJsonArray().get(0).isJsonPrimitive() || !entry.getAsJsonArray().get(1).isJsonPrimitive()) {
                throw new TemplateException(Kind.BAD_DEFINITION, "extra.linearData.inputs: " + entry
                        + " is not [nodeId, widgetName, …]");
            }
            JsonArray pair = entry.getAsJsonArray();
            bindings.add(new Binding(pair.get(0).getAsString(), pair.get(1).getAsString()));
        }
        // a PrimitiveNode the form names is in the UI form only: the parameter takes every input it feeds, named
        // after the first of them
        List<List<Binding>> targets = new ArrayList<>();
        for (Binding b : bindings) {
            List<Binding> fed = workflow.prompt().node(b.nodeId()).isPresent() ? List.of()
                    : PrimitiveTargets.of(tree, b.nodeId());
            targets.add(fed.isEmpty() ? List.of(b) : fed);
        }
        Map<String, Integer> counts = new HashMap<>();
        targets.forEach(t -> counts.merge(t.get(0).input(), 1, Integer::sum));
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < bindings.size(); i++) {
            Binding b = bindings.get(i);
            Binding first = targets.get(i).get(0);
            String name = (counts.get(first.input()) > 1 ? first.input() + "_" + b.nodeId() : first.input())
                    .replaceAll("[^\\p{L}\\p{N}_.\\-]", "_");
            String title = workflow.prompt().node(b.nodeId()).map(PromptNode::title).filter(t -> t != null && !t.isBlank())
                    .orElse(PrimitiveTargets.title(tree, b.nodeId()));
            parameters.add(parameter(workflow, schema, name, targets.get(i)).withLabel(title == null ? first.input()
                    : title + ": " + first.input()));
        }
        return parameters;
    }

    @Override
    public List<TemplateProblem> check(Workflow workflow, List<Parameter> parameters) {
        List<TemplateProblem> problems = new ArrayList<>();
        for (Parameter p : parameters) {
            for (Binding b : p.bindings()) {
                Optional<PromptNode> node = workflow.prompt().node(b.nodeId());
                if (node.isEmpty()) {
                    problems.add(new TemplateProblem(p.name(), b, "parameter " + p.name() + " is bound to node "
                            + b.nodeId() + ", which the workflow no longer has"));
                } else if (node.get().input(b.input()).isEmpty()) {
                    problems.add(new TemplateProblem(p.name(), b, "parameter " + p.name() + " is bound to input \""
                            + b.input() + "\" of node " + b.nodeId() + " (" + node.get().classType()
                            + "), which it no longer has"));
                } else if (node.get().link(b.input()).isPresent()) {
                    problems.add(new TemplateProblem(p.name(), b, "parameter " + p.name() + " is bound to input \""
                            + b.input() + "\" of node " + b.nodeId() + " (" + node.get().classType()
                            + "), which is now fed by a link from node " + node.get().link(b.input()).get().nodeId()));
                }
            }
        }
        return problems;
    }

    // ---- using

    /** A checked value: what goes into the graph, or a local file still to upload. */
    private record Value(JsonElement json, Path upload) {
    }

    @Override
    public Preview preview(Template template, Map<String, ?> values, NodeSchema schema) {
        Map<String, Value> resolved = resolve(template, values);
        Map<String, JsonElement> shown = new LinkedHashMap<>();
        Map<String, JsonElement> forValidation = new LinkedHashMap<>();
        for (Parameter p : template.parameters()) {
            Value v = resolved.get(p.name());
            shown.put(p.name(), v.upload() != null ? new JsonPrimitive(v.upload().getFileName().toString()) : v.json());
            // a file not uploaded yet is not in the server's list: check the rest of the graph with the base value
            forValidation.put(p.name(), v.upload() != null ? baseValue(template, p) : v.json());
        }
        PromptGraph prompt = apply(template, shown);
        return new Preview(prompt, shown, changes(template, prompt),
                validator.validate(apply(template, forValidation), schema));
    }

    @Override
    public Instance instantiate(Template template, Map<String, ?> values, ComfyClient target) {
        Map<String, Value> resolved = resolve(template, values);
        Map<String, JsonElement> sent = new LinkedHashMap<>();
        for (Parameter p : template.parameters()) {
            Value v = resolved.get(p.name());
            if (v.upload() != null) {
                try {
                    sent.put(p.name(), new JsonPrimitive(upload(target, v.upload())));
                } catch (ComfyException e) {
                    throw new TemplateException(Kind.UPLOAD_FAILED, "parameter " + p.name() + ": uploading "
                            + v.upload() + " to " + target.server().id() + " failed: " + e.getMessage(), List.of(), e);
                }
            } else {
                sent.put(p.name(), v.json());
            }
        }
        return new Instance(template.id(), apply(template, sent), sent);
    }

    /** The name of the file on the target server: uploaded now, or earlier unless the file changed since. */
    private String upload(ComfyClient target, Path file) throws ComfyException {
        UploadedFile key = null;
        if (uploads != null) {
            try {
                key = new UploadedFile(target.server().id(), target.server().baseUrl(), file.toAbsolutePath(),
                        Files.size(file), Files.getLastModifiedTime(file).toMillis());
                Optional<String> known = uploads.getIfPresent(key);
                if (known.isPresent()) {
                    return known.get();
                }
            } catch (java.io.IOException e) {
                key = null; // the upload reads it again and names what is wrong
            }
        }
        String name = target.uploadImage(UploadRequest.of(file)).loadImageValue();
        if (key != null) {
            uploads.put(key, name);
        }
        return name;
    }

    @Override
    public SweepPlan sweep(Template template, List<SweepAxis> axes, Map<String, ?> fixed, long cap) {
        requireUsable(template);
        Set<String> swept = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        long count = 1;
        for (SweepAxis axis : axes) {
            if (!swept.add(axis.parameter())) {
                throw new TemplateException(Kind.BAD_DEFINITION, "parameter " + axis.parameter() + " is swept twice");
            }
            if (fixed.containsKey(axis.parameter())) {
                throw new TemplateException(Kind.BAD_DEFINITION, "parameter " + axis.parameter()
                        + " is both swept and fixed");
            }
            Parameter p = template.parameter(axis.parameter()).orElseThrow(() -> unknown(template, Set.of(axis.parameter())));
            for (Object value : axis.values()) {
                try {
                    check(p, value);
                } catch (InvalidValue e) {
                    errors.add(e.getMessage());
                }
            }
            count = count > Long.MAX_VALUE / axis.values().size() ? Long.MAX_VALUE : count * axis.values().size();
        }
        Map<String, Object> fixedValues = new LinkedHashMap<>(fixed);
        // the fixed values, and the defaults of parameters neither swept nor fixed
        checkValues(template, fixedValues, swept, errors);
        if (!errors.isEmpty()) {
            throw invalid(template, errors);
        }
        if (count > cap) {
            throw new TemplateException(Kind.TOO_MANY_INSTANCES, "the sweep over " + String.join(" × ", swept)
                    + " makes " + (count == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : count)
                    + " instances, more than the cap of " + cap);
        }
        return new SweepPlan(template, axes, fixedValues, count);
    }

    // ---- values

    private Map<String, Value> resolve(Template template, Map<String, ?> values) {
        requireUsable(template);
        List<String> errors = new ArrayList<>();
        Map<String, Value> resolved = checkValues(template, values, Set.of(), errors);
        if (!errors.isEmpty()) {
            throw invalid(template, errors);
        }
        return resolved;
    }

    /**
     * Checks a value (given, else the default) for every parameter not in {@code skip}; collects every bad one.
     *
     * @throws TemplateException {@code UNKNOWN_PARAMETER} for a value of no parameter
     */
    private Map<String, Value> checkValues(Template template, Map<String, ?> values, Set<String> skip,
            List<String> errors) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        template.parameters().forEach(p -> unknown.remove(p.name()));
        if (!unknown.isEmpty()) {
            throw unknown(template, unknown);
        }
        Map<String, Value> resolved = new LinkedHashMap<>();
        for (Parameter p : template.parameters()) {
            if (skip.contains(p.name())) {
                continue;
            }
            Object value = values.containsKey(p.name()) ? values.get(p.name()) : p.defaultValue();
            try {
                if (value == null) {
                    throw new InvalidValue(p.name() + " needs a value (it has no default)");
                }
                resolved.put(p.name(), check(p, value));
            } catch (InvalidValue e) {
                errors.add(e.getMessage());
            }
        }
        return resolved;
    }

    private static TemplateException invalid(Template template, List<String> errors) {
        return new TemplateException(Kind.INVALID_VALUE, "template " + template.name() + ": " + errors.size()
                + " invalid value" + (errors.size() == 1 ? "" : "s"), errors, null);
    }

    private static void requireUsable(Template template) {
        if (!template.problems().isEmpty()) {
            throw new TemplateException(Kind.STALE_BINDING, "template " + template.name()
                    + " does not fit its workflow any more",
                    template.problems().stream().map(TemplateProblem::message).toList(), null);
        }
    }

    private static TemplateException unknown(Template template, Set<String> names) {
        return new TemplateException(Kind.UNKNOWN_PARAMETER, "template " + template.name() + " has no parameter "
                + String.join(", ", names) + " (it has: " + String.join(", ",
                        template.parameters().stream().map(Parameter::name).toList()) + ")");
    }

    /** Why a value does not fit; collected so that a user sees every bad value at once. */
    private static final class InvalidValue extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidValue(String message) {
            super(message, null, false, false);
        }
    }

    private Value check(Parameter p, Object raw) throws InvalidValue {
        Object value = raw instanceof JsonElement json ? plain(p, json) : raw;
        return switch (p.type()) {
            case INT -> new Value(new JsonPrimitive(integer(p, value)), null);
            case FLOAT -> new Value(new JsonPrimitive(decimal(p, value).doubleValue()), null);
            case STRING -> {
                if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    throw new InvalidValue(p.name() + ": " + describe(value) + " is not text");
                }
                yield new Value(new JsonPrimitive(value.toString()), null);
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    yield new Value(new JsonPrimitive(b), null);
                }
                if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    yield new Value(new JsonPrimitive(Boolean.parseBoolean(s)), null);
                }
                throw new InvalidValue(p.name() + ": " + describe(value) + " is not true or false");
            }
            case COMBO -> new Value(new JsonPrimitive(option(p, value)), null);
            case IMAGE -> image(p, value);
        };
    }

    /** JSON defaults and stored values as the plain values the checks take. */
    private static Object plain(Parameter p, JsonElement json) throws InvalidValue {
        if (json.isJsonPrimitive()) {
            JsonPrimitive prim = json.getAsJsonPrimitive();
            if (prim.isBoolean()) {
                return prim.getAsBoolean();
            }
            if (prim.isNumber()) {
                return prim.getAsBigDecimal();
            }
            return prim.getAsString();
        }
        throw new InvalidValue(p.name() + ": " + json + " is not a single value");
    }

    private BigInteger integer(Parameter p, Object value) throws InvalidValue {
        if (p.seed() && value instanceof String s && s.strip().equalsIgnoreCase(Parameter.RANDOM)) {
            return randomSeed(p);
        }
        BigDecimal number = number(p, value, "a whole number");
        BigInteger exact;
        try {
            exact = number.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new InvalidValue(p.name() + ": " + number.toPlainString() + " is not a whole number");
        }
        inRange(p, new BigDecimal(exact));
        return exact;
    }

    private BigDecimal decimal(Parameter p, Object value) throws InvalidValue {
        BigDecimal number = number(p, value, "a number");
        inRange(p, number);
        return number;
    }

    private static BigDecimal number(Parameter p, Object value, String what) throws InvalidValue {
        try {
            if (value instanceof BigDecimal d) {
                return d;
            }
            if (value instanceof BigInteger i) {
                return new BigDecimal(i);
            }
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new InvalidValue(p.name() + ": " + d + " is not " + what);
                }
                return BigDecimal.valueOf(d);
            }
            if (value instanceof Number n) {
                return BigDecimal.valueOf(n.longValue());
            }
            if (value instanceof String s) {
                return new BigDecimal(s.strip());
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new InvalidValue(p.name() + ": " + describe(value) + " is not " + what
                + (p.seed() ? " (or \"" + Parameter.RANDOM + "\")" : ""));
    }

    private static void inRange(Parameter p, BigDecimal v) throws InvalidValue {
        if (p.min() != null && v.compareTo(p.min()) < 0) {
            throw new InvalidValue(p.name() + ": " + v.toPlainString() + " is below the minimum " + p.min().toPlainString());
        }
        if (p.max() != null && v.compareTo(p.max()) > 0) {
            throw new InvalidValue(p.name() + ": " + v.toPlainString() + " is above the maximum " + p.max().toPlainString());
        }
    }

    private BigInteger randomSeed(Parameter p) {
        BigInteger low = p.min() == null ? BigInteger.ZERO : p.min().toBigInteger();
        BigInteger high = p.max() == null ? BigInteger.valueOf(Long.MAX_VALUE) : p.max().toBigInteger();
        BigInteger span = high.subtract(low);
        if (span.signum() <= 0) {
            return low;
        }
        Random rnd = random.get();
        BigInteger offset;
        do {
            offset = new BigInteger(span.bitLength(), rnd);
        } while (offset.compareTo(span) > 0);
        return low.add(offset);
    }

    private static String option(Parameter p, Object value) throws InvalidValue {
        if (!(value instanceof String s)) {
            throw new InvalidValue(p.name() + ": " + describe(value) + " is not one of its options");
        }
        if (!p.options().isEmpty() && !p.options().contains(s)) {
            throw new InvalidValue(p.name() + ": \"" + s + "\" is not one of " + optionsText(p));
        }
        return s;
    }

    private static String optionsText(Parameter p) {
        List<String> shown = p.options().size() > 8 ? p.options().subList(0, 8) : p.options();
        return String.join(", ", shown) + (p.options().size() > shown.size()
                ? ", … (" + p.options().size() + " options)" : "");
    }

    /** A local file (a {@code Path}, or text naming an existing file) to upload, else the name of a file on the server. */
    private static Value image(Parameter p, Object value) throws InvalidValue {
        if (value instanceof Path path) {
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new InvalidValue(p.name() + ": there is no readable file " + path);
            }
            return new Value(null, imageFile(p, path));
        }
        if (value instanceof String s) {
            Path local;
            try {
                local = Path.of(s);
            } catch (java.nio.file.InvalidPathException e) {
                local = null;
            }
            if (local != null && local.isAbsolute() && Files.isRegularFile(local) && Files.isReadable(local)) {
                return new Value(null, imageFile(p, local));
            }
            if (local != null && local.isAbsolute()) {
                throw new InvalidValue(p.name() + ": there is no readable file " + s);
            }
            if (!p.options().isEmpty() && !p.options().contains(s)) {
                throw new InvalidValue(p.name() + ": \"" + s + "\" is neither a local file (give its absolute path) nor "
                        + "one of the server's input images " + optionsText(p));
            }
            return new Value(new JsonPrimitive(s), null);
        }
        throw new InvalidValue(p.name() + ": " + describe(value) + " is not an image file");
    }

    /**
     * The file, if it begins as an image the server's loader reads (PNG, JPEG, WebP, GIF, BMP, TIFF): another file
     * would be uploaded and fail only when the job runs.
     */
    private static Path imageFile(Parameter p, Path file) throws InvalidValue {
        byte[] head = new byte[12];
        int n;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (java.io.IOException e) {
            throw new InvalidValue(p.name() + ": " + file + " cannot be read: " + e.getMessage());
        }
        String ascii = new String(head, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        boolean image = ascii.startsWith("\u0089PNG") || ascii.startsWith("\u00ff\u00d8\u00ff")
                || ascii.startsWith("GIF8") || (ascii.startsWith("RIFF") && ascii.startsWith("WEBP", 8))
                || ascii.startsWith("BM") || ascii.startsWith("II*\u0000") || ascii.startsWith("MM\u0000*");
        if (!image) {
            throw new InvalidValue(p.name() + ": " + file + " is not an image (PNG, JPEG, WebP, GIF, BMP or TIFF)");
        }
        return file;
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    // ---- graphs

    private static JsonElement baseValue(Template template, Parameter p) {
        Binding b = p.bindings().get(0);
        return template.workflow().prompt().node(b.nodeId()).flatMap(n -> n.input(b.input())).orElse(JsonNull.INSTANCE);
    }

    private static PromptGraph apply(Template template, Map<String, JsonElement> values) {
        JsonObject tree = template.workflow().prompt().toJsonTree();
        for (Parameter p : template.parameters()) {
            for (Binding b : p.bindings()) {
                tree.getAsJsonObject(b.nodeId()).getAsJsonObject("inputs").add(b.input(), values.get(p.name()).deepCopy());
            }
        }
        return PromptGraph.of(tree, "template " + template.name());
    }

    private static List<GraphChange> changes(Template template, PromptGraph prompt) {
        List<GraphChange> changes = new ArrayList<>();
        for (Parameter p : template.parameters()) {
            for (Binding b : p.bindings()) {
                PromptNode base = template.workflow().prompt().node(b.nodeId()).orElseThrow();
                JsonElement before = base.input(b.input()).orElse(JsonNull.INSTANCE);
                JsonElement after = prompt.node(b.nodeId()).flatMap(n -> n.input(b.input())).orElse(JsonNull.INSTANCE);
                if (!sameValue(before, after)) {
                    changes.add(new GraphChange(b.nodeId(), base.classType(), b.input(), before, after));
                }
            }
        }
        return changes;
    }

    /** JSON equality, with numbers compared by value (20 and 20.0 are the same steps). */
    private static boolean sameValue(JsonElement a, JsonElement b) {
        if (a.isJsonPrimitive() && b.isJsonPrimitive() && a.getAsJsonPrimitive().isNumber()
                && b.getAsJsonPrimitive().isNumber()) {
            return a.getAsBigDecimal().compareTo(b.getAsBigDecimal()) == 0;
        }
        return a.equals(b);
    }
}
