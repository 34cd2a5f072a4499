package comfy.workbench.manager.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthResult;
import comfy.workbench.monitor.api.ExecutionMonitor;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.DispatchPolicy;
import comfy.workbench.queue.api.QueueDiagnostics;

/**
 * The job queue is not stuck: its engine runs, its job store commits, and its oldest running job still shows progress.
 * Recovery: a store that cannot commit is reopened (the queue component restarted; its jobs are recovered from the
 * store and reconciled with the servers); a job without progress has its server's event stream reconnected, which
 * reconciles it from the server's history.
 */
@Component(service = HealthCheck.class, configurationPid = QueueHealthCheck.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = { HealthCheck.NAME + "=queue",
                HealthCheck.TAGS + "=queue", HealthCheck.TAGS + "=storage", HealthCheck.INTERVAL + ":Long=15000" })
@Designate(ocd = QueueHealthCheck.Config.class)
public final class QueueHealthCheck implements HealthCheck {

    static final String PID = "comfy.workbench.manager.queue";
    static final String QUEUE_COMPONENT = "comfy.workbench.queue.internal.QueueComponent";
    private static final Duration RESTART_STEP_DEADLINE = Duration.ofSeconds(30);

    /** Configuration of the queue check. */
    @ObjectClassDefinition(name = "Comfy Workbench queue health check")
    public @interface Config {
        @AttributeDefinition(name = "Stuck after (ms)", description = "A running job without any execution event for "
                + "this long counts as stuck")
        long stuckAfterMillis() default 600_000;
    }

    private final ServiceComponentRuntime scr;
    private final ExecutionMonitor monitor;
    private final Duration stuckAfter;
    // dynamic: restarting the queue to recover it must not deactivate the check that does it
    private volatile JobQueue queue;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configurationAdmin;

    @Activate
    public QueueHealthCheck(@Reference ServiceComponentRuntime scr, @Reference ExecutionMonitor monitor,
            Config config) {
        if (config.stuckAfterMillis() <= 0) {
            throw new IllegalArgumentException("stuckAfterMillis must be positive: " + config.stuckAfterMillis());
        }
        this.scr = scr;
        this.monitor = monitor;
        this.stuckAfter = Duration.ofMillis(config.stuckAfterMillis());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setQueue(JobQueue queue) {
        this.queue = queue;
    }

    void unsetQueue(JobQueue queue) {
        if (this.queue == queue) {
            this.queue = null;
        }
    }

    @Override
    public HealthResult check() {
        JobQueue q = queue;
        if (q == null) {
            return HealthResult.warn("the job queue is not running (see the component report for why)");
        }
        QueueDiagnostics d = q.diagnostics();
        if (!d.engineRunning()) {
            return HealthResult.critical("the queue's engine has stopped; job store " + d.storeFile());
        }
        if (d.storeProblem().isPresent()) {
            return HealthResult.critical("the job store " + d.storeFile() + " cannot be written: "
                    + d.storeProblem().get() + " (check free space and permissions)");
        }
        Optional<Instant> activity = d.oldestActivity();
        if (activity.isPresent()) {
            Duration idle = Duration.between(activity.get(), Instant.now());
            if (idle.compareTo(stuckAfter) > 0) {
                String server = d.oldestRunning().flatMap(q::job).map(Job::serverId).orElse("?");
                return HealthResult.critical("job " + d.oldestRunning().orElse("?") + " on " + server
                        + " has shown no progress for " + idle.toSeconds() + " s");
            }
        }
        if (d.dispatchProblem().isPresent()) {
            return HealthResult.warn(d.dispatchProblem().get());
        }
        return HealthResult.ok(d.running() + " running; job store writable"
                + (d.dispatchPolicy().equals(DispatchPolicy.BUILT_IN) ? "" : "; dispatch policy " + d.dispatchPolicy())
                + othersQueued(d));
    }

    /** Why jobs may wait although a server has room for them: other clients' prompts go first there. */
    private static String othersQueued(QueueDiagnostics d) {
        if (d.othersQueued().isEmpty()) {
            return "";
        }
        return "; prompts of other clients queued on " + d.othersQueued().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    @Override
    public String recover() throws Exception {
        JobQueue q = queue;
        if (q == null) {
            return "";
        }
        QueueDiagnostics d = q.diagnostics();
        if (!d.storeWritable()) {
            var description = scr.getComponentDescriptionDTOs().stream()
                    .filter(c -> c.name.equals(QUEUE_COMPONENT)).findFirst();
            if (description.isEmpty()) {
                return "";
            }
            String how = new ComponentRestarter(scr, () -> configurationAdmin).restart(description.get(),
                    RESTART_STEP_DEADLINE.toNanos());
            return "reopened the job store (restarted " + QUEUE_COMPONENT + " " + how + ")";
        }
        Optional<String> server = d.oldestRunning().flatMap(q::job).map(Job::serverId);
        if (server.isPresent()) {
            monitor.reconnect(server.get());
            return "reconnected to " + server.get() + " to reconcile job " + d.oldestRunning().get();
        }
        return "";
    }
}
