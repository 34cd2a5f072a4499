package comfy.workbench.connection.api;

import java.util.Optional;
import java.util.OptionalLong;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The server's feature flags ({@code GET /api/features}, the same dict the WebSocket handshake answers with).
 *
 * @param flags the raw flags (a copy); unknown flags are kept so that newer servers' flags can be read
 */
public record FeatureFlags(JsonObject flags) {

    /** Flags of a server that has no {@code /features} route. */
    public static final FeatureFlags NONE = new FeatureFlags(new JsonObject());

    public FeatureFlags {
        flags = flags == null ? new JsonObject() : flags.deepCopy();
    }

    @Override
    public JsonObject flags() {
        return flags.deepCopy();
    }

    /** A boolean flag; {@code false} when absent or not a boolean. */
    public boolean enabled(String name) {
        JsonElement v = flags.get(name);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() && v.getAsBoolean();
    }

    /** A flag's raw value. */
    public Optional<JsonElement> value(String name) {
        return Optional.ofNullable(flags.get(name)).map(JsonElement::deepCopy);
    }

    /** {@code supports_preview_metadata}: the server can send binary previews with metadata (type 4). */
    public boolean supportsPreviewMetadata() {
        return enabled("supports_preview_metadata");
    }

    /** {@code max_upload_size} in bytes, if the server says. */
    public OptionalLong maxUploadSize() {
        JsonElement v = flags.get("max_upload_size");
        if (v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            return OptionalLong.of(v.getAsLong());
        }
        return OptionalLong.empty();
    }
}
