package comfy.workbench.testing.fake.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * What the fake's nodes compute: just enough of an image model (size, batch, colour) that the captured graphs
 * give the captured outputs — file names, {@code executed} payloads, the GetImageSize text frame, the
 * SaveImageWebsocket previews and ImageScaleBy's zero-size failure. Unknown classes yield placeholders.
 */
public final class NodeSim {

    /** An image batch of one colour. */
    public record Img(int width, int height, int batch, int rgb) {
    }

    /** A latent batch. */
    public record Latent(int width, int height, int batch) {
    }

    /** What a node produced: its output values (by slot) and its UI output ({@code null} if none). */
    public record Outcome(List<Object> outputs, JsonObject ui) {
    }

    /** What a running node may do besides returning: report progress, send text and previews. */
    public interface Context {
        String nodeId();

        JsonObject prompt();

        JsonObject extraData();

        void progress(int value, int max, byte[] previewPng);

        void text(String text);
    }

    private final Storage storage;
    private final ObjectInfo info;
    private final byte[] webpSample;

    public NodeSim(Storage storage, ObjectInfo info, byte[] webpSample) {
        this.storage = storage;
        this.info = info;
        this.webpSample = webpSample;
    }

    public Outcome run(String classType, Map<String, Object> in, Context ctx) {
        switch (classType) {
            case "EmptyImage":
                return out(new Img(i(in, "width", 512), i(in, "height", 512), i(in, "batch_size", 1), i(in, "color", 0)));
            case "EmptyLatentImage":
                return out(new Latent(i(in, "width", 512), i(in, "height", 512), i(in, "batch_size", 1)));
            case "LoadImage": {
                Path file = storage.annotated(String.valueOf(in.get("image")));
                int[] size = file == null ? null : Png.size(read(file));
                Img img = size == null ? new Img(64, 64, 1, 0) : new Img(size[0], size[1], 1, 0x808080);
                return out(img, img);
            }
            case "ImageInvert": {
                Img img = img(in, "image");
                return out(new Img(img.width(), img.height(), img.batch(), ~img.rgb() & 0xFFFFFF));
            }
            case "ImageScaleBy": {
                Img img = img(in, "image");
                double s = d(in, "scale_by", 1.0);
                int w = (int) Math.round(img.width() * s);
                int h = (int) Math.round(img.height() * s);
                if (w <= 0 || h <= 0) {
                    throw new NodeFailure("RuntimeError", "Input and output sizes should be greater than 0, but got input (H: "
                            + img.height() + ", W: " + img.width() + ") output (H: " + h + ", W: " + w + ")\n");
                }
                return out(new Img(w, h, img.batch(), img.rgb()));
            }
            case "ImageScale": {
                Img img = img(in, "image");
                int w = i(in, "width", img.width());
                int h = i(in, "height", img.height());
                w = w == 0 ? Math.max(1, img.width() * h / Math.max(1, img.height())) : w;
                h = h == 0 ? Math.max(1, img.height() * w / Math.max(1, img.width())) : h;
                return out(new Img(w, h, img.batch(), img.rgb()));
            }
            case "GetImageSize": {
                Img img = img(in, "image");
                ctx.text("width: " + img.width() + ", height: " + img.height() + "\n batch size: " + img.batch());
                return out((long) img.width(), (long) img.height(), (long) img.batch());
            }
            case "SolidMask":
                return out(new Img(i(in, "width", 512), i(in, "height", 512), 1, 0xFFFFFF));
            case "LatentUpscale": {
                Latent l = in.get("samples") instanceof Latent x ? x : new Latent(64, 64, 1);
                return out(new Latent(i(in, "width", l.width()), i(in, "height", l.height()), l.batch()));
            }
            case "SaveImage":
                return saveImages(img(in, "images"), "output", String.valueOf(in.getOrDefault("filename_prefix", "ComfyUI")), ctx, "png", false);
            case "PreviewImage":
            case "MaskPreview":
                return saveImages(img(in, "images".equals(firstImageInput(in)) ? "images" : "mask"), "temp", tempPrefix(), ctx, "png", false);
            case "SaveAnimatedPNG":
                return saveImages(img(in, "images"), "output", String.valueOf(in.getOrDefault("filename_prefix", "ComfyUI")), ctx, "png", true);
            case "SaveAnimatedWEBP":
                return saveImages(img(in, "images"), "output", String.valueOf(in.getOrDefault("filename_prefix", "ComfyUI")), ctx, "webp", true);
            case "SaveLatent":
                return saveLatent(in, ctx);
            case "PreviewAny":
                return new Outcome(List.of(), Json.obj("text", Json.arr(pyStr(in.get("source")))));
            case "SaveImageWebsocket": {
                Img img = img(in, "images");
                for (int k = 0; k < img.batch(); k++) {
                    ctx.progress(k, img.batch(), Png.solid(img.width(), img.height(), img.rgb(), Map.of()));
                }
                return new Outcome(List.of(), null);
            }
            default:
                return placeholder(classType, in);
        }
    }

    private static String firstImageInput(Map<String, Object> in) {
        return in.containsKey("images") ? "images" : "mask";
    }

    private Outcome placeholder(String classType, Map<String, Object> in) {
        List<Object> outputs = new ArrayList<>();
        Img first = in.values().stream().filter(Img.class::isInstance).map(Img.class::cast).findFirst().orElse(new Img(64, 64, 1, 0));
        for (String type : info.outputTypes(classType)) {
            outputs.add(switch (type) {
                case "IMAGE", "MASK" -> first;
                case "LATENT" -> new Latent(first.width(), first.height(), first.batch());
                case "INT" -> 0L;
                case "FLOAT" -> 0.0;
                case "STRING" -> "";
                default -> type;
            });
        }
        return new Outcome(outputs, null);
    }

    private Outcome saveImages(Img img, String type, String prefix, Context ctx, String ext, boolean animated) {
        Storage.SavePath path = storage.savePath(type, prefix);
        Map<String, String> text = new LinkedHashMap<>();
        if ("output".equals(type)) {
            text.put("prompt", Json.write(ctx.prompt()));
            JsonElement pnginfo = ctx.extraData().get("extra_pnginfo");
            if (pnginfo != null && pnginfo.isJsonObject()) {
                pnginfo.getAsJsonObject().entrySet().forEach(e -> text.put(e.getKey(), Json.write(e.getValue())));
            }
        }
        JsonArray images = new JsonArray();
        int files = animated ? 1 : img.batch();
        for (int k = 0; k < files; k++) {
            String name = path.name(k, ext);
            byte[] bytes = "webp".equals(ext) && webpSample != null ? webpSample : Png.solid(img.width(), img.height(), img.rgb(), text);
            storage.write(path.folder().resolve(name), bytes);
            images.add(Json.obj("filename", name, "subfolder", path.subfolder(), "type", type));
        }
        JsonObject ui = Json.obj("images", images);
        if (animated) {
            ui.add("animated", Json.arr(true));
        }
        return new Outcome(List.of(), ui);
    }

    private Outcome saveLatent(Map<String, Object> in, Context ctx) {
        Latent l = in.get("samples") instanceof Latent x ? x : new Latent(64, 64, 1);
        Storage.SavePath path = storage.savePath("output", String.valueOf(in.getOrDefault("filename_prefix", "latents/ComfyUI")));
        String name = path.name(0, "latent");
        int floats = l.batch() * 4 * Math.max(1, l.height() / 8) * Math.max(1, l.width() / 8);
        JsonObject header = Json.obj("latent_tensor", Json.obj("dtype", "F32",
                "shape", Json.arr(l.batch(), 4, Math.max(1, l.height() / 8), Math.max(1, l.width() / 8)),
                "data_offsets", Json.arr(0, floats * 4)), "__metadata__", Json.obj("prompt", Json.write(ctx.prompt())));
        byte[] h = Json.write(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + floats * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        storage.write(path.folder().resolve(name), b.array());
        return new Outcome(List.of(), Json.obj("latents", Json.arr(Json.obj("filename", name, "subfolder", path.subfolder(), "type", "output"))));
    }

    private static String tempPrefix() {
        StringBuilder s = new StringBuilder("ComfyUI_temp_");
        String letters = "abcdefghijklmnopqrstupvxyz";
        for (int k = 0; k < 5; k++) {
            s.append(letters.charAt(ThreadLocalRandom.current().nextInt(letters.length())));
        }
        return s.toString();
    }

    private static Outcome out(Object... values) {
        return new Outcome(List.of(values), null);
    }

    private static Img img(Map<String, Object> in, String name) {
        return in.get(name) instanceof Img img ? img : new Img(64, 64, 1, 0);
    }

    private static int i(Map<String, Object> in, String name, int dflt) {
        Object v = in.get(name);
        return v instanceof Number n ? n.intValue() : dflt;
    }

    private static double d(Map<String, Object> in, String name, double dflt) {
        Object v = in.get(name);
        return v instanceof Number n ? n.doubleValue() : dflt;
    }

    private static String pyStr(Object v) {
        if (v instanceof Double d && d == Math.rint(d)) {
            return String.valueOf(d);
        }
        return String.valueOf(v);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }
}
