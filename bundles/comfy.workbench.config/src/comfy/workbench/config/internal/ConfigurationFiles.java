package comfy.workbench.config.internal;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * Applies a folder of configuration files to Configuration Admin: {@code <pid>.json}, a JSON object of properties
 * (strings, numbers, booleans, or arrays of one of those), becomes the configuration of that PID, for any bundle. A
 * configuration made from a file that is gone is deleted; a malformed file changes nothing (its configuration, if an
 * earlier version made one, stays) and is reported with what is wrong, and so does a file with a value a component
 * configured by that PID could not take as the type it declares (a component that failed to activate on it would take
 * every command down with it). An unchanged file does not touch its
 * configuration, so its component is not restarted.
 */
final class ConfigurationFiles {

    /** Marks a configuration as made from a file; the value is the file's name. */
    static final String SOURCE = "comfy.workbench.config.file";

    private static final Pattern PID = Pattern.compile("[A-Za-z0-9_.-]+");
    /** A configuration is a few properties; a larger file is a mistake, not read into memory. */
    private static final long MAX_BYTES = 1 << 20;

    /** What an apply did: PIDs configured from files, files that could not be used (with why), PIDs deleted. */
    record Outcome(List<String> applied, Map<String, String> problems, List<String> removed) {
    }

    private ConfigurationFiles() {
    }

    static Outcome apply(Path folder, ConfigurationAdmin admin) throws IOException {
        return apply(folder, admin, () -> pid -> Map.of());
    }

    /**
     * @param declared the components' declared properties, asked for only when there are files (reading them costs
     *                 start-up time)
     */
    static Outcome apply(Path folder, ConfigurationAdmin admin,
            Supplier<Function<String, Map<String, DeclaredProperties.Declared>>> declared) throws IOException {
        Function<String, Map<String, DeclaredProperties.Declared>> types = null;
        List<String> applied = new ArrayList<>();
        Map<String, String> problems = new LinkedHashMap<>();
        Set<String> present = new TreeSet<>();
        for (Path file : files(folder)) {
            String name = file.getFileName().toString();
            String pid = name.substring(0, name.length() - ".json".length());
            present.add(pid);
            try {
                if (!PID.matcher(pid).matches()) {
                    throw new IllegalArgumentException("the name is not a PID (letters, digits, '.', '_', '-')");
                }
                if (Files.size(file) > MAX_BYTES) {
                    throw new IllegalArgumentException("larger than " + MAX_BYTES + " bytes (" + Files.size(file) + ")");
                }
                Dictionary<String, Object> properties = properties(Files.readString(file, StandardCharsets.UTF_8));
                if (types == null) {
                    types = declared.get();
                }
                Map<String, DeclaredProperties.Declared> declaredHere = types.apply(pid);
                for (String key : Collections.list(properties.keys())) {
                    DeclaredProperties.Declared d = declaredHere.get(key);
                    if (d != null) {
                        DeclaredProperties.mismatch(key, properties.get(key), d).ifPresent(why -> {
                            throw new IllegalArgumentException(why);
                        });
                    }
                }
                properties.put(SOURCE, name);
                if (admin.getConfiguration(pid, "?").updateIfDifferent(properties)) {
                    applied.add(pid);
                }
            } catch (IOException | RuntimeException e) {
                problems.put(name, e.getMessage());
            }
        }
        List<String> removed = new ArrayList<>();
        Configuration[] fromFiles;
        try {
            fromFiles = admin.listConfigurations("(" + SOURCE + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Configuration c : fromFiles == null ? new Configuration[0] : fromFiles) {
            String pid = c.getPid(); // a deleted configuration no longer answers
            if (!present.contains(pid)) {
                c.delete();
                removed.add(pid);
            }
        }
        return new Outcome(applied, problems, removed);
    }

    private static List<Path> files(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, "*.json")) {
            for (Path p : dir) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            // no folder, no files
        }
        files.sort(null);
        return files;
    }

    private static Dictionary<String, Object> properties(String text) {
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException("not a JSON object of properties");
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        for (Map.Entry<String, JsonElement> e : ((JsonObject) root).entrySet()) {
            properties.put(e.getKey(), value(e.getKey(), e.getValue()));
        }
        return properties;
    }

    private static Object value(String key, JsonElement json) {
        if (json.isJsonPrimitive()) {
            return scalar(key, json.getAsJsonPrimitive());
        }
        if (json.isJsonArray()) {
            JsonArray array = json.getAsJsonArray();
            Object[] values = new Object[array.size()];
            for (int i = 0; i < values.length; i++) {
                JsonElement item = array.get(i);
                if (!item.isJsonPrimitive()) {
                    throw new IllegalArgumentException("property \"" + key + "\": an array holds only strings, numbers "
                            + "or booleans");
                }
                values[i] = scalar(key, item.getAsJsonPrimitive());
            }
            Class<?> type = values.length == 0 ? String.class : values[0].getClass();
            Object typed = Array.newInstance(type, values.length);
            for (int i = 0; i < values.length; i++) {
                if (values[i].getClass() != type) {
                    throw new IllegalArgumentException("property \"" + key + "\": an array's values are of one type");
                }
                Array.set(typed, i, values[i]);
            }
            return typed;
        }
        throw new IllegalArgumentException("property \"" + key + "\" is " + (json.isJsonNull() ? "null" : "an object")
                + "; a property is a string, a number, a boolean or an array of one of those");
    }

    private static Object scalar(String key, JsonPrimitive p) {
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            String digits = p.getAsString();
            if (digits.matches("-?\\d+")) {
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("property \"" + key + "\": " + digits + " is too large", e);
                }
            }
            return p.getAsDouble();
        }
        return p.getAsString();
    }
}
