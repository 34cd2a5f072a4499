package comfy.workbench.ui.queue.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import comfy.workbench.queue.api.Job;

/**
 * What the Jobs view's filter field keeps: every word typed (ignoring case) is in the job's name, id, state, server,
 * batch or error; nothing typed keeps every job.
 */
final class JobFilter {

    static final String HINT = "Filter: words in the name, state, server, batch, id or error (e.g. failed portrait)";

    private final List<String> words;

    JobFilter(String typed) {
        words = Arrays.stream(typed.toLowerCase(Locale.ROOT).split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    boolean keepsAll() {
        return words.isEmpty();
    }

    boolean keeps(Job job) {
        if (words.isEmpty()) {
            return true;
        }
        String text = Stream.of(job.request().name(), job.id(), job.state().name(), job.serverId(), job.batchId(),
                job.error() == null ? null : job.error().message()).filter(s -> s != null)
                .map(s -> s.toLowerCase(Locale.ROOT)).reduce("", (a, b) -> a + "\n" + b);
        return words.stream().allMatch(text::contains);
    }
}
