package comfy.workbench.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line: the command, its positional arguments and its options ({@code --name value}, {@code --name=value},
 * repeatable; {@code --json} takes no value). The command is the first argument that is neither an option nor an
 * option's value, so that options may come before it ({@code comfy --data DIR run FILE}); the {@code comfy} script
 * finds it the same way, with the same options taking values.
 */
record Args(String command, List<String> positional, Map<String, List<String>> options) {

    /** Thrown for a command line that cannot be understood; the message says what to fix. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private static final Set<String> FLAGS = Set.of("json", "ui", "app", "services", "ended");
    private static final Set<String> VALUED = Set.of("server", "set", "param", "sweep", "count", "priority",
            "concurrency", "dispatch-policy", "out", "data", "state", "batch", "name", "tag", "id");

    /** Options every command takes. */
    private static final Set<String> EVERYWHERE = Set.of("json", "data");
    /** The other options each command reads. */
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "status", Set.of("server", "services"),
            "run", Set.of("server", "set", "param", "sweep", "count", "priority", "concurrency", "dispatch-policy",
                    "out"),
            "resume", Set.of("concurrency", "dispatch-policy", "out"),
            "jobs", Set.of("state", "batch", "server"),
            "cancel", Set.of("batch"),
            "forget", Set.of("batch", "ended"),
            "retry", Set.of("batch", "concurrency", "dispatch-policy"),
            "workflows", Set.of("name", "tag", "server", "out", "ui"),
            "templates", Set.of("param", "app", "name", "tag", "server"),
            "servers", Set.of("name", "id"));

    /** The commands that take no arguments besides their options. */
    private static final Set<String> NO_ARGUMENTS = Set.of("status", "resume", "jobs");

    static Args parse(String[] argv) {
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--help") || a.equals("-h") || a.equals("-help")) {
                return new Args("help", List.of(), Map.of()); // wherever it stands, as scripts' authors try it
            }
            if (a.startsWith("-") && !a.startsWith("--") && a.length() > 1) {
                // comfy jobs -json listed jobs as text: one dash is a slip, not an argument
                throw new UsageException("unknown option " + a + " (options start with two dashes: -" + a + ")");
            }
            if (!a.startsWith("--") || a.equals("--")) {
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = argv[++i];
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        if (positional.isEmpty()) {
            throw new UsageException("no command");
        }
        String command = positional.get(0);
        Set<String> takes = OPTIONS.get(command);
        if (takes != null) {
            for (String name : options.keySet()) {
                // an option a command does not read would be ignored: comfy jobs --batch X listed every job
                if (!takes.contains(name) && !EVERYWHERE.contains(name)) {
                    throw new UsageException("comfy " + command + " takes no --" + name + " (it takes "
                            + String.join(", ", takes.stream().sorted().map(o -> "--" + o).toList())
                            + (takes.isEmpty() ? "" : ", ") + "--json, --data)");
                }
            }
        }
        if (NO_ARGUMENTS.contains(command) && positional.size() > 1) {
            throw new UsageException("comfy " + command + " takes no arguments, only options: "
                    + String.join(" ", positional.subList(1, positional.size())));
        }
        return new Args(command, List.copyOf(positional.subList(1, positional.size())), options);
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    String one(String name, String fallback) {
        List<String> values = all(name);
        if (values.size() > 1) {
            throw new UsageException("--" + name + " is given " + values.size() + " times");
        }
        return values.isEmpty() ? fallback : values.get(0);
    }

    int integer(String name, int fallback, int min) {
        String v = one(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min) {
                throw new UsageException("--" + name + " must be at least " + min + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes a whole number from " + min + " to " + Integer.MAX_VALUE
                    + ", not \"" + v + "\"");
        }
    }

    /** {@code KEY=VALUE} pairs of a repeatable option, in order. */
    Map<String, String> pairs(String name) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String v : all(name)) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--" + name + " takes NAME=VALUE, not \"" + v + "\"");
            }
            String key = v.substring(0, eq).strip();
            if (pairs.put(key, v.substring(eq + 1)) != null) {
                // which one was meant is a guess: keeping the last silently ran something the user did not ask for
                throw new UsageException("--" + name + " " + key + " is given twice");
            }
        }
        return pairs;
    }
}
