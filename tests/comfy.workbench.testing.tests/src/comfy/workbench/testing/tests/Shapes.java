package comfy.workbench.testing.tests;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Compares the shape of a captured JSON value with the fake's: field names, value types and array lengths, but not
 * values — ids, timestamps, numbers and file names may differ. Differing strings are recorded as captured→fake
 * substitutions, so later requests of a transcript can use the fake's ids.
 */
final class Shapes {

    private static final Pattern ID_KEY = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|\\d+(:\\d+)*");
    /** Lists whose length depends on the machine (tracebacks), not on the protocol. */
    /** Strings worth substituting: server-made ids and file names, never short values such as node ids. */
    private static final Pattern SUBSTITUTABLE = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|[\\w ()-]+\\.(png|webp|latent|jpg)");
    private static final Set<String> FREE_LENGTH = Set.of("traceback", "argv", "devices");

    private Shapes() {
    }

    static List<String> compare(JsonElement captured, JsonElement fake, Map<String, String> substitutions) {
        List<String> problems = new ArrayList<>();
        walk("$", captured, fake, substitutions, problems);
        return problems;
    }

    private static void walk(String path, JsonElement c, JsonElement f, Map<String, String> subs, List<String> problems) {
        if (!type(c).equals(type(f))) {
            problems.add(path + ": captured " + type(c) + " but fake " + type(f));
            return;
        }
        if (c.isJsonObject()) {
            JsonObject co = c.getAsJsonObject();
            JsonObject fo = f.getAsJsonObject();
            if (!co.isEmpty() && co.keySet().stream().allMatch(k -> ID_KEY.matcher(k).matches())
                    && !fo.isEmpty() && fo.keySet().stream().allMatch(k -> ID_KEY.matcher(k).matches())) {
                if (co.keySet().equals(fo.keySet())) {
                    for (String k : co.keySet()) {
                        walk(path + "." + k, co.get(k), fo.get(k), subs, problems);
                    }
                    return;
                }
                List<String> ck = new ArrayList<>(co.keySet());
                List<String> fk = new ArrayList<>(fo.keySet());
                if (ck.size() != fk.size()) {
                    problems.add(path + ": captured " + ck.size() + " entries but fake " + fk.size());
                }
                for (int i = 0; i < Math.min(ck.size(), fk.size()); i++) {
                    if (!ck.get(i).equals(fk.get(i)) && SUBSTITUTABLE.matcher(ck.get(i)).matches()) {
                        subs.putIfAbsent(ck.get(i), fk.get(i));
                    }
                    walk(path + "." + ck.get(i), co.get(ck.get(i)), fo.get(fk.get(i)), subs, problems);
                }
                return;
            }
            Set<String> missing = new HashSet<>(co.keySet());
            missing.removeAll(fo.keySet());
            Set<String> extra = new HashSet<>(fo.keySet());
            extra.removeAll(co.keySet());
            if (!missing.isEmpty() || !extra.isEmpty()) {
                problems.add(path + ": fields missing " + missing + ", unexpected " + extra);
            }
            for (String k : co.keySet()) {
                if (fo.has(k)) {
                    walk(path + "." + k, co.get(k), fo.get(k), subs, problems);
                }
            }
        } else if (c.isJsonArray()) {
            JsonArray ca = c.getAsJsonArray();
            JsonArray fa = f.getAsJsonArray();
            String last = path.substring(path.lastIndexOf('.') + 1);
            if (last.equals("errors")) {
                // a node's errors come in the order of a Python set of input names: compare them sorted by details
                ca = sortedByDetails(ca);
                fa = sortedByDetails(fa);
            }
            if (ca.size() != fa.size() && !FREE_LENGTH.contains(last)) {
                problems.add(path + ": captured " + ca.size() + " elements but fake " + fa.size());
            }
            for (int i = 0; i < Math.min(ca.size(), fa.size()); i++) {
                walk(path + "[" + i + "]", ca.get(i), fa.get(i), subs, problems);
            }
        } else if (c.isJsonPrimitive() && c.getAsJsonPrimitive().isString() && !c.getAsString().equals(f.getAsString())
                && SUBSTITUTABLE.matcher(c.getAsString()).matches()) {
            subs.putIfAbsent(c.getAsString(), f.getAsString());
        }
    }

    private static JsonArray sortedByDetails(JsonArray errors) {
        List<JsonElement> list = new ArrayList<>();
        errors.forEach(list::add);
        list.sort(java.util.Comparator.comparing(e -> e.isJsonObject() && e.getAsJsonObject().has("details")
                ? e.getAsJsonObject().get("details").getAsString() : ""));
        JsonArray sorted = new JsonArray();
        list.forEach(sorted::add);
        return sorted;
    }

    private static String type(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonObject()) {
            return "object";
        }
        if (e.isJsonArray()) {
            return "array";
        }
        var p = e.getAsJsonPrimitive();
        return p.isBoolean() ? "boolean" : p.isNumber() ? "number" : "string";
    }
}
