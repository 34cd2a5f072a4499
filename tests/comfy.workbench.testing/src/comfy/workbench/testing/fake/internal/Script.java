package comfy.workbench.testing.fake.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The scriptable behaviour of execution: durations, progress steps and failures, changeable while the server runs. */
public final class Script {

    /** A scripted failure of a node class. */
    public record Failure(String exceptionType, String message) {
    }

    private final Map<String, Duration> classDurations = new ConcurrentHashMap<>();
    private final Map<String, Duration> nodeDurations = new ConcurrentHashMap<>();
    private final Map<String, Integer> progressSteps = new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private volatile Duration defaultDuration = Duration.ZERO;

    public void defaultDuration(Duration d) {
        defaultDuration = d;
    }

    public void classDuration(String classType, Duration d) {
        classDurations.put(classType, d);
    }

    public void nodeDuration(String nodeId, Duration d) {
        nodeDurations.put(nodeId, d);
    }

    public void progressSteps(String classType, int steps) {
        progressSteps.put(classType, steps);
    }

    public void fail(String classType, Failure failure) {
        if (failure == null) {
            failures.remove(classType);
        } else {
            failures.put(classType, failure);
        }
    }

    /** A node id's duration wins over its class's, which wins over the default. */
    public Duration duration(String nodeId, String classType) {
        Duration d = nodeDurations.get(nodeId);
        if (d == null) {
            d = classDurations.get(classType);
        }
        return d == null ? defaultDuration : d;
    }

    public int progressSteps(String classType) {
        return progressSteps.getOrDefault(classType, 0);
    }

    public Failure failure(String classType) {
        return failures.get(classType);
    }
}
