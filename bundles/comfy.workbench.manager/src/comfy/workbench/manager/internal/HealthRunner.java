package comfy.workbench.manager.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.manager.api.CheckResult;
import comfy.workbench.manager.api.HealthChange;
import comfy.workbench.manager.api.HealthCheck;
import comfy.workbench.manager.api.HealthReport;
import comfy.workbench.manager.api.HealthResult;
import comfy.workbench.manager.api.HealthStatus;

/**
 * Runs the registered health checks on their intervals with their timeouts, recovers failing ones with backoff, and
 * keeps the aggregated report and the history of its status. Its state is touched by its scheduler thread only; the
 * checks and recoveries run on a separate pool, so a hanging check delays nothing but itself.
 */
final class HealthRunner implements AutoCloseable {

    /** How checks are run when their service properties do not say. */
    record Settings(Duration defaultInterval, Duration defaultTimeout, Duration initialDelay, Duration recoveryInitial,
            Duration recoveryMax, int historySize) {
    }

    /** Where changes go (Event Admin). Called on the scheduler thread. */
    interface Sink {
        void changed(HealthChange change);

        void recovering(String check, String action);
    }

    private static final Logger LOG = LoggerFactory.getLogger(HealthRunner.class);

    private final Settings settings;
    private final Sink sink;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService pool;
    private final Map<Long, Entry> entries = new HashMap<>();
    private final Deque<HealthChange> history = new ArrayDeque<>();
    private HealthStatus status = HealthStatus.OK;
    private boolean suspended;
    private volatile HealthReport report;
    private volatile List<HealthChange> historySnapshot = List.of();

    HealthRunner(Settings settings, Sink sink, Clock clock) {
        this.settings = settings;
        this.sink = sink;
        this.clock = clock;
        this.report = new HealthReport(HealthStatus.OK, List.of(), List.of(), clock.instant());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(named("comfy-health"));
        this.pool = Executors.newCachedThreadPool(named("comfy-health-check"));
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One registered check and what is known of it; touched on the scheduler thread only. */
    private final class Entry {
        final long id;
        final String name;
        final List<String> tags;
        final Duration interval;
        final Duration timeout;
        final HealthCheck check;
        CheckResult latest;
        boolean busy;
        CompletableFuture<Void> recorded = CompletableFuture.completedFuture(null);
        ScheduledFuture<?> schedule;
        Instant failingSince;
        int recoveryAttempts;
        Instant nextRecovery;
        String lastRecovery = "";
        boolean removed;

        Entry(long id, String name, List<String> tags, Duration interval, Duration timeout, HealthCheck check) {
            this.id = id;
            this.name = name;
            this.tags = tags;
            this.interval = interval;
            this.timeout = timeout;
            this.check = check;
        }
    }

    void add(long serviceId, HealthCheck check, Map<String, ?> properties) {
        Object name = properties.get(HealthCheck.NAME);
        if (!(name instanceof String s) || s.isBlank()) {
            LOG.warn("health check {} (service {}) has no {} property; it is not run", check, serviceId,
                    HealthCheck.NAME);
            return;
        }
        Duration interval = millis(properties.get(HealthCheck.INTERVAL), settings.defaultInterval(), s);
        Duration timeout = millis(properties.get(HealthCheck.TIMEOUT), settings.defaultTimeout(), s);
        Entry entry = new Entry(serviceId, s.strip(), tags(properties.get(HealthCheck.TAGS)), interval, timeout, check);
        onScheduler(() -> {
            entries.put(serviceId, entry);
            long first = Math.min(settings.initialDelay().toMillis(), interval.toMillis());
            entry.schedule = scheduler.scheduleWithFixedDelay(() -> run(entry), first, interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }

    void remove(long serviceId) {
        onScheduler(() -> {
            Entry entry = entries.remove(serviceId);
            if (entry != null) {
                entry.removed = true;
                entry.schedule.cancel(false);
                aggregate();
            }
        });
    }

    /** Runs on the scheduler's thread; once the runner is closed (the framework stopping) there is nothing to do. */
    private void onScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: checks that come and go while the platform stops are of no interest
        }
    }

    HealthReport report() {
        return report;
    }

    List<HealthChange> history() {
        return historySnapshot;
    }

    /** Stops running checks and recoveries (while the platform is shut down on purpose). */
    void suspend(boolean suspend) {
        callOnScheduler(() -> {
            suspended = suspend;
            return null;
        });
    }

    /** Runs every check now and waits for them (each at most its timeout). */
    HealthReport checkNow() {
        List<CompletableFuture<Void>> runs = callOnScheduler(() -> entries.values().stream().map(this::run).toList());
        long wait = runs.isEmpty() ? 0 : settings.defaultTimeout().toMillis();
        for (Entry e : callOnScheduler(() -> List.copyOf(entries.values()))) {
            wait = Math.max(wait, e.timeout.toMillis());
        }
        try {
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(wait + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("health checks did not all answer in time", e);
        }
        return report;
    }

    private <T> T callOnScheduler(java.util.concurrent.Callable<T> action) {
        try {
            return scheduler.submit(action).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Starts a run of the check unless one is under way; answers when the (current) run's result is recorded. */
    private CompletableFuture<Void> run(Entry entry) {
        if (entry.busy) {
            return entry.recorded;
        }
        if (suspended || entry.removed) {
            return CompletableFuture.completedFuture(null);
        }
        entry.busy = true;
        CompletableFuture<HealthResult> answer = new CompletableFuture<>();
        long started = System.nanoTime();
        pool.execute(() -> {
            try {
                HealthResult result = entry.check.check();
                answer.complete(result == null ? HealthResult.critical("the check answered nothing") : result);
            } catch (Exception | LinkageError e) {
                answer.complete(HealthResult.critical("the check failed: " + e));
            } finally {
                // a check that timed out is not run again until it has returned; after close, nothing is
                onScheduler(() -> entry.busy = false);
            }
        });
        answer.completeOnTimeout(HealthResult.critical("no answer within " + entry.timeout.toMillis() + " ms"),
                entry.timeout.toMillis(), TimeUnit.MILLISECONDS);
        entry.recorded = answer.thenAcceptAsync(
                result -> record(entry, result, Duration.ofNanos(System.nanoTime() - started)), scheduler);
        return entry.recorded;
    }

    private void record(Entry entry, HealthResult result, Duration took) {
        if (entry.removed) {
            return;
        }
        Instant now = clock.instant();
        if (result.status() == HealthStatus.OK) {
            entry.failingSince = null;
            entry.recoveryAttempts = 0;
            entry.nextRecovery = null;
            entry.lastRecovery = "";
        } else if (entry.failingSince == null) {
            entry.failingSince = now;
        }
        entry.latest = new CheckResult(entry.name, entry.tags, result, now, took, entry.failingSince,
                entry.recoveryAttempts, entry.lastRecovery);
        aggregate();
        if (result.status() == HealthStatus.CRITICAL && !suspended
                && (entry.nextRecovery == null || !now.isBefore(entry.nextRecovery))) {
            recover(entry, now);
        }
    }

    private void recover(Entry entry, Instant now) {
        long backoff = Math.min(settings.recoveryMax().toMillis(),
                settings.recoveryInitial().toMillis() << Math.min(entry.recoveryAttempts, 20));
        entry.nextRecovery = now.plusMillis(backoff);
        entry.recoveryAttempts++;
        pool.execute(() -> {
            String action;
            try {
                action = entry.check.recover();
            } catch (Exception | LinkageError e) {
                action = "recovery failed: " + e;
            }
            String done = action == null ? "" : action;
            onScheduler(() -> {
                entry.lastRecovery = done;
                if (!done.isEmpty()) {
                    LOG.info("health check {} is failing; recovery: {}", entry.name, done);
                    sink.recovering(entry.name, done);
                }
            });
        });
    }

    private void aggregate() {
        List<CheckResult> checks = new ArrayList<>();
        HealthStatus worst = HealthStatus.OK;
        for (Entry e : entries.values()) {
            if (e.latest != null) {
                checks.add(e.latest);
                worst = worst.worst(e.latest.status());
            }
        }
        checks.sort(Comparator.comparing(CheckResult::name));
        List<String> reasons = checks.stream().filter(c -> c.status() != HealthStatus.OK)
                .sorted(Comparator.comparing(CheckResult::status).reversed())
                .map(c -> c.name() + ": " + c.result().message()).toList();
        Instant now = clock.instant();
        report = new HealthReport(worst, reasons, checks, now);
        if (worst != status) {
            HealthChange change = new HealthChange(now, status, worst, reasons);
            status = worst;
            history.addLast(change);
            while (history.size() > settings.historySize()) {
                history.removeFirst();
            }
            historySnapshot = List.copyOf(history);
            LOG.info("platform health {} → {}{}", change.previous(), change.status(),
                    reasons.isEmpty() ? "" : ": " + String.join("; ", reasons));
            sink.changed(change);
        }
    }

    private static Duration millis(Object value, Duration fallback, String check) {
        if (value == null) {
            return fallback;
        }
        try {
            long ms = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().strip());
            if (ms > 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warn("health check {}: '{}' is not a positive number of milliseconds; using {}", check, value, fallback);
        return fallback;
    }

    private static List<String> tags(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof String[] a) {
            return List.of(a);
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        pool.shutdownNow();
    }
}
