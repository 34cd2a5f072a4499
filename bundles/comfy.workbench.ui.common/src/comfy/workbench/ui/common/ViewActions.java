package comfy.workbench.ui.common;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actions a view runs for its user (import, save, run, delete …), one at a time on a thread of the view's own,
 * because they wait for the disk and servers. Each action's outcome is given to the view on the UI thread — the
 * action's message, or what was wrong and what that left unchanged — before the action's future completes with its
 * value or failure, so that a caller (a test) that waits for the future sees the message.
 * <p>
 * Failures come in three kinds, told apart by the view's exception types: a <em>refusal</em>, the view's own "I did
 * not do that, because …" ({@code "Title: why"}); a failure the <em>user is to fix</em> (bad input, a stale revision;
 * {@code "Title failed: why"}, logged at debug); anything else ({@code "Title failed: why"}, logged as a warning with
 * its stack trace). Thread-safe.
 *
 * @since 0.2.0
 */
public final class ViewActions {

    private static final Logger LOG = LoggerFactory.getLogger(ViewActions.class);

    /** How the view shows an outcome; called on the UI thread. */
    @FunctionalInterface
    public interface Outcome {
        void show(String message, boolean failed);
    }

    private final ExecutorService thread;
    private final Executor ui;
    private final Outcome outcome;
    private final Class<? extends RuntimeException> refusal;
    private final List<Class<? extends RuntimeException>> usersToFix;
    private final Runnable after;

    /**
     * @param threadName names the action thread
     * @param ui         runs on the UI thread (the view's {@code UISynchronize::asyncExec})
     * @param outcome    shows each outcome
     * @param refusal    the view's exception for what it refused to do, with the reason as its message
     * @param usersToFix exceptions that report bad input or stale state, which the user is to fix
     * @param after      runs on the action thread after every action, failed or not (a view reads its model again)
     */
    public ViewActions(String threadName, Executor ui, Outcome outcome, Class<? extends RuntimeException> refusal,
            List<Class<? extends RuntimeException>> usersToFix, Runnable after) {
        this.thread = Executors.newSingleThreadExecutor(ViewReader.daemonThreads(threadName));
        this.ui = ui;
        this.outcome = outcome;
        this.refusal = refusal;
        this.usersToFix = List.copyOf(usersToFix);
        this.after = after;
    }

    /** Runs an action; see {@link #run(String, String, Supplier, Function, Consumer)}. */
    public <T> CompletableFuture<T> run(String title, String unchanged, Supplier<T> action, Function<T, String> success) {
        return run(title, unchanged, action, success, value -> {
        });
    }

    /**
     * Runs an action on the action thread.
     *
     * @param title     names the action in its messages ("Save")
     * @param unchanged what a failure left as it was ("the changes stay here"), appended to its message; "" for nothing
     * @param action    the work
     * @param success   the message for the action's value
     * @param then      gets the value on the UI thread, before the message is shown
     * @return completes after the outcome was shown; exceptionally with the action's failure, or with a
     *         {@link RejectedExecutionException} once the view is closed
     */
    public <T> CompletableFuture<T> run(String title, String unchanged, Supplier<T> action, Function<T, String> success,
            Consumer<T> then) {
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                T value = null;
                RuntimeException failure = null;
                String text;
                try {
                    value = action.get();
                    text = success.apply(value);
                } catch (RuntimeException e) {
                    failure = e;
                    text = message(title, e);
                }
                after.run();
                String message = failure == null || unchanged.isEmpty() ? text : text + " \u2014 " + unchanged;
                T result = value;
                RuntimeException failed = failure;
                ui.execute(() -> {
                    if (failed == null) {
                        then.accept(result);
                    }
                    outcome.show(message, failed != null);
                    if (failed == null) {
                        done.complete(result);
                    } else {
                        done.completeExceptionally(failed);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(e); // the view is closed
        }
        return done;
    }

    /** Stops taking actions; one under way finishes (each is a few calls on the services). */
    public void close() {
        thread.shutdown();
    }

    private String message(String title, RuntimeException e) {
        if (refusal.isInstance(e)) {
            return title + ": " + e.getMessage();
        }
        if (usersToFix.stream().anyMatch(type -> type.isInstance(e))) {
            LOG.debug("{} refused", title, e);
        } else {
            // the services' exceptions name what was wrong (the file, the server, the revision)
            LOG.warn("{} failed", title, e);
        }
        return title + " failed: " + e.getMessage();
    }
}
