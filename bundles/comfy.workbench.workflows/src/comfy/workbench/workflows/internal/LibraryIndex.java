package comfy.workbench.workflows.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import comfy.workbench.workflows.api.LibraryEntry;
import comfy.workbench.workflows.api.LibraryProblem;
import comfy.workbench.workflows.api.SearchHit;
import comfy.workbench.workflows.api.WorkflowQuery;

/**
 * An immutable snapshot of a library's entries, with what a search needs precomputed: lower-cased texts and
 * output types. A change makes a new snapshot, so searches never lock.
 */
final class LibraryIndex {

    private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Comparator<LibraryEntry> BY_NAME = Comparator
            .comparing((LibraryEntry e) -> e.name().toLowerCase(Locale.ROOT)).thenComparing(LibraryEntry::id);

    /** An entry with its searchable texts lower-cased once. */
    private record Indexed(LibraryEntry entry, String name, String tags, String description, String nodeClasses,
            Set<String> outputTypes) {

        static Indexed of(LibraryEntry e) {
            return new Indexed(e, lower(e.metadata().name()), lower(String.join(" ", e.metadata().tags())),
                    lower(e.metadata().description()), lower(String.join(" ", new java.util.TreeSet<>(e.nodeClasses()))),
                    e.outputTypes().stream().map(LibraryIndex::lower).collect(Collectors.toUnmodifiableSet()));
        }
    }

    static final LibraryIndex EMPTY = new LibraryIndex(Map.of(), List.of());

    private final Map<String, Indexed> entries;
    private final List<LibraryProblem> problems;

    private LibraryIndex(Map<String, Indexed> entries, List<LibraryProblem> problems) {
        this.entries = entries;
        this.problems = List.copyOf(problems);
    }

    static LibraryIndex of(Collection<LibraryEntry> entries, List<LibraryProblem> problems) {
        Map<String, Indexed> map = new HashMap<>(entries.size() * 2);
        for (LibraryEntry e : entries) {
            map.put(e.id(), Indexed.of(e));
        }
        return new LibraryIndex(map, problems);
    }

    LibraryIndex with(LibraryEntry entry) {
        Map<String, Indexed> map = new HashMap<>(entries);
        map.put(entry.id(), Indexed.of(entry));
        return new LibraryIndex(map, problems);
    }

    LibraryIndex without(String id) {
        Map<String, Indexed> map = new HashMap<>(entries);
        map.remove(id);
        return new LibraryIndex(map, problems);
    }

    boolean contains(String id) {
        return entries.containsKey(id);
    }

    LibraryEntry entry(String id) {
        Indexed i = entries.get(id);
        return i == null ? null : i.entry();
    }

    List<LibraryEntry> entries() {
        List<LibraryEntry> list = new ArrayList<>(entries.size());
        for (Indexed i : entries.values()) {
            list.add(i.entry());
        }
        list.sort(BY_NAME);
        return list;
    }

    List<LibraryProblem> problems() {
        return problems;
    }

    List<SearchHit> search(WorkflowQuery query) {
        String[] terms = query.text().isBlank() ? new String[0] : WORDS.split(lower(query.text().strip()));
        Set<String> types = query.outputTypes().stream().map(LibraryIndex::lower).collect(Collectors.toSet());
        List<SearchHit> hits = new ArrayList<>();
        for (Indexed i : entries.values()) {
            if (!i.entry().nodeClasses().containsAll(query.nodeClasses())) {
                continue;
            }
            if (!types.isEmpty() && types.stream().noneMatch(i.outputTypes()::contains)) {
                continue;
            }
            double score = 0;
            for (String term : terms) {
                if (term.isEmpty()) {
                    continue;
                }
                // a node class typed as text ("ksampler") finds the workflows that use it, below every other match
                double best = Math.max(Math.max(10 * match(i.name(), term), 5 * match(i.tags(), term)),
                        Math.max(2 * match(i.description(), term), match(i.nodeClasses(), term)));
                if (best == 0) {
                    score = -1;
                    break;
                }
                score += best;
            }
            if (score >= 0) {
                hits.add(new SearchHit(i.entry(), score));
            }
        }
        hits.sort(Comparator.comparingDouble(SearchHit::score).reversed()
                .thenComparing(h -> h.entry().metadata().modified(), Comparator.reverseOrder())
                .thenComparing(SearchHit::entry, BY_NAME));
        return query.limit() > 0 && hits.size() > query.limit() ? List.copyOf(hits.subList(0, query.limit()))
                : List.copyOf(hits);
    }

    /** 1 for the term as a whole word, 0.6 at a word start, 0.3 inside a word, 0 when absent. */
    private static double match(String text, String term) {
        double best = 0;
        int from = 0;
        while (true) {
            int at = text.indexOf(term, from);
            if (at < 0) {
                return best;
            }
            boolean start = at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
            int end = at + term.length();
            boolean whole = start && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)));
            best = Math.max(best, whole ? 1 : start ? 0.6 : 0.3);
            if (whole) {
                return best;
            }
            from = at + 1;
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
