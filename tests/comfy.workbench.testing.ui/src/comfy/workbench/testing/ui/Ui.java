package comfy.workbench.testing.ui;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Widget;

/**
 * What SWTBot would give, for the few things these tests need: waiting on the event loop for a condition, finding
 * widgets by the name the views give them under {@link #WIDGET_KEY}, reading table rows, clicking, and screenshots.
 */
public final class Ui {

    /** The widget-data key under which the views name their widgets (their {@code WIDGET_KEY}). */
    public static final String WIDGET_KEY = "comfy.workbench.widget";
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Ui() {
    }

    /** Runs the event loop until the condition holds; fails with the state description after {@link #TIMEOUT}. */
    public static void waitUntil(Display display, String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what + "; " + state.get());
            }
            if (!display.readAndDispatch()) {
                // wakes the loop at least every 50 ms, so that conditions changed by other threads are seen
                display.timerExec(50, () -> { });
                display.sleep();
            }
        }
    }

    /**
     * Runs the event loop until a view's action ends (its future completes after the view showed the outcome); gives
     * its value, or fails with the state description when the action failed.
     */
    public static <T> T finish(Display display, CompletableFuture<T> action, Supplier<String> state) throws Exception {
        waitUntil(display, "the action to end", action::isDone, state);
        try {
            return action.get();
        } catch (ExecutionException e) {
            throw new AssertionError("the action failed: " + state.get(), e.getCause());
        }
    }

    /** Runs the event loop until a view's action ends; it must have failed, and this gives why. */
    public static Throwable failure(Display display, CompletableFuture<?> action, Supplier<String> state) {
        waitUntil(display, "the action to end", action::isDone, state);
        ExecutionException e = assertThrows(ExecutionException.class, action::get, "the action should fail");
        return e.getCause();
    }

    /** The widget named {@code name} under {@code root}, searching the whole tree. */
    public static <T extends Widget> Optional<T> find(Control root, String name, Class<T> type) {
        if (name.equals(root.getData(WIDGET_KEY)) && type.isInstance(root)) {
            return Optional.of(type.cast(root));
        }
        if (root instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                Optional<T> found = find(child, name, type);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    public static <T extends Widget> T get(Control root, String name, Class<T> type) {
        return find(root, name, type).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    /** The first row whose cell in {@code column} reads {@code text}. */
    public static Optional<TableItem> row(Table table, int column, String text) {
        return Arrays.stream(table.getItems()).filter(i -> i.getText(column).equals(text)).findFirst();
    }

    /** Every row of the table, cell by cell, for failure messages. */
    public static String dump(Table table) {
        return Arrays.stream(table.getItems())
                .map(i -> IntStream.range(0, table.getColumnCount()).mapToObj(i::getText)
                        .collect(Collectors.joining(" | ", "[", "]")))
                .collect(Collectors.joining(", "));
    }

    /** The open shell named {@code name}, if any. */
    public static Optional<Shell> shell(Display display, String name) {
        return Arrays.stream(display.getShells())
                .filter(s -> !s.isDisposed() && s.isVisible() && name.equals(s.getData(WIDGET_KEY))).findFirst();
    }

    /** Clicks a button as the user would: a selection event that its listeners see. */
    public static void click(Widget button) {
        Event e = new Event();
        e.widget = button;
        button.notifyListeners(SWT.Selection, e);
    }

    /**
     * Saves what the control shows as a PNG, e.g. under {@code target/screenshots}. GTK lays out and draws on its
     * frame clock, after the widgets changed; the event loop runs for a few frames first so that the picture shows
     * the state the test just asserted. (Only the picture waits for this; no assertion depends on it.)
     */
    public static Path screenshot(Control control, Path file) {
        Display display = control.getDisplay();
        long settled = System.nanoTime() + Duration.ofMillis(400).toNanos();
        while (System.nanoTime() < settled) {
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> { });
                display.sleep();
            }
        }
        org.eclipse.swt.graphics.Point size = control.getSize();
        Image image = new Image(control.getDisplay(), size.x, size.y);
        GC gc = new GC(image);
        try {
            control.print(gc);
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] { image.getImageData() };
            Files.createDirectories(file.getParent());
            loader.save(file.toString(), SWT.IMAGE_PNG);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            gc.dispose();
            image.dispose();
        }
    }
}
