package comfy.workbench.ui.health.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import comfy.workbench.manager.api.CheckResult;
import comfy.workbench.manager.api.ComponentInfo;
import comfy.workbench.manager.api.ComponentState;
import comfy.workbench.manager.api.HealthChange;
import comfy.workbench.manager.api.HealthReport;
import comfy.workbench.manager.api.HealthStatus;
import comfy.workbench.manager.api.ReferenceInfo;
import comfy.workbench.ui.common.Times;

/** The texts of the Platform Health view, kept apart from the widgets so that they read the same everywhere. */
final class Formats {

    /** What a cell shows when there is nothing to show, rather than an empty cell that looks like a bug. */
    static final String NONE = Times.NONE;

    private Formats() {
    }

    /** A time of today as {@code HH:mm:ss}, of another day with its date (the manager's "never" is the epoch). */
    static String time(Instant when) {
        return Times.time(Instant.EPOCH.equals(when) ? null : when);
    }

    static String fullTime(Instant when) {
        return Times.fullTime(Instant.EPOCH.equals(when) ? null : when, "never");
    }

    // ---- the header

    /** The header line: the aggregated status and, when it is not OK, its reasons. */
    static String header(HealthReport report) {
        if (report.checks().isEmpty()) {
            return "Platform health: OK (no health checks registered)";
        }
        if (report.status() == HealthStatus.OK) {
            return "Platform health: OK (" + count(report.checks().size(), "check") + " passing)";
        }
        return "Platform health: " + report.status().name() + " \u2014 " + String.join("; ", report.reasons());
    }

    static String headerDetail(HealthReport report) {
        StringBuilder b = new StringBuilder("Platform health ").append(report.status().name()).append(" at ")
                .append(fullTime(report.at()));
        report.reasons().forEach(r -> b.append("\n\u2022 ").append(r));
        return b.toString();
    }

    // ---- checks

    static String tags(CheckResult check) {
        return check.tags().isEmpty() ? NONE : String.join(", ", check.tags());
    }

    static String recovery(CheckResult check) {
        if (check.recoveryAttempts() == 0) {
            return NONE;
        }
        String attempts = count(check.recoveryAttempts(), "attempt");
        return check.lastRecovery().isEmpty() ? attempts : attempts + ": " + check.lastRecovery();
    }

    static String checkDetail(CheckResult check) {
        StringBuilder b = new StringBuilder(check.name()).append(": ").append(check.status().name());
        if (!check.result().message().isEmpty()) {
            b.append("\n").append(check.result().message());
        }
        b.append("\nchecked: ").append(fullTime(check.checkedAt())).append(" (took ").append(millis(check.took()))
                .append(")");
        if (check.failingSince() != null) {
            b.append("\nfailing since: ").append(fullTime(check.failingSince()));
        }
        if (check.recoveryAttempts() > 0) {
            b.append("\nrecovery: ").append(recovery(check));
        }
        return b.toString();
    }

    static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    // ---- components

    /** The unqualified names of the services a component provides. */
    static String services(ComponentInfo c) {
        return c.services().isEmpty() ? NONE
                : c.services().stream().map(Formats::simpleName).collect(Collectors.joining(", "));
    }

    /** What is wrong with a component, in the words the user acts on; {@link #NONE} when nothing is. */
    static String problem(ComponentInfo c) {
        return switch (c.state()) {
            case UNSATISFIED_REFERENCE -> c.missingReferences().isEmpty() ? "a required service is missing"
                    : "missing: " + String.join(", ", c.missingReferences());
            case UNSATISFIED_CONFIGURATION -> "waits for its configuration";
            case FAILED -> c.failure().isEmpty() ? "activation failed" : firstLine(c.failure());
            case DISABLED -> "disabled";
            case ACTIVE, SATISFIED -> NONE;
        };
    }

    static String componentDetail(ComponentInfo c) {
        StringBuilder b = new StringBuilder(c.name()).append("\nbundle: ").append(c.bundle()).append("\nstate: ")
                .append(c.state().name());
        if (c.configurationId() >= 0) {
            b.append(" (configuration ").append(c.configurationId()).append(")");
        }
        if (!c.services().isEmpty()) {
            b.append("\nservices: ").append(String.join(", ", c.services()));
        }
        for (ReferenceInfo r : c.references()) {
            b.append("\n").append(r.satisfied() ? "  \u2713 " : "  \u2717 ").append(r.name()).append(": ")
                    .append(r.service()).append(" [").append(r.cardinality()).append("], ").append(r.bound())
                    .append(" bound");
            if (!r.target().isEmpty()) {
                b.append(", target ").append(r.target());
            }
        }
        if (!c.failure().isEmpty()) {
            b.append("\nfailure: ").append(c.failure());
        }
        return b.toString();
    }

    /** Whether a component needs the user's attention: it is not running and not disabled on purpose. */
    static boolean isProblem(ComponentState state) {
        return state == ComponentState.FAILED || state == ComponentState.UNSATISFIED_REFERENCE
                || state == ComponentState.UNSATISFIED_CONFIGURATION;
    }

    /** E.g. {@code 57 components: 50 active, 5 satisfied, 1 unsatisfied reference, 1 failed}. */
    static String componentSummary(List<ComponentInfo> components) {
        if (components.isEmpty()) {
            return "No components.";
        }
        Map<ComponentState, Long> byState = components.stream()
                .collect(Collectors.groupingBy(ComponentInfo::state, TreeMap::new, Collectors.counting()));
        return count(components.size(), "component") + ": " + byState.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", "));
    }

    // ---- history

    static String change(HealthChange change) {
        return change.previous().name() + " \u2192 " + change.status().name();
    }

    static String reasons(HealthChange change) {
        return change.reasons().isEmpty() ? NONE : String.join("; ", change.reasons());
    }

    // ----

    static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse(text);
    }
}
