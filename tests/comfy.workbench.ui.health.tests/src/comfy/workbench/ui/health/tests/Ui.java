package comfy.workbench.ui.health.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
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
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Widget;

import comfy.workbench.ui.health.internal.HealthPart;

/**
 * What SWTBot would give, for the few things these tests need: waiting on the event loop for a condition, finding
 * widgets by their {@link HealthPart#WIDGET_KEY} name, reading table rows, and screenshots.
 */
final class Ui {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Ui() {
    }

    /** Runs the event loop until the condition holds; fails with the state description after {@link #TIMEOUT}. */
    static void waitUntil(Display display, String what, BooleanSupplier condition, Supplier<String> state) {
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

    /** The widget named {@code name} under {@code root}, searching the whole tree. */
    static <T extends Widget> Optional<T> find(Control root, String name, Class<T> type) {
        if (name.equals(root.getData(HealthPart.WIDGET_KEY)) && type.isInstance(root)) {
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

    static <T extends Widget> T get(Control root, String name, Class<T> type) {
        return find(root, name, type).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    /** The first row whose cell in {@code column} reads {@code text}. */
    static Optional<TableItem> row(Table table, int column, String text) {
        return Arrays.stream(table.getItems()).filter(i -> i.getText(column).equals(text)).findFirst();
    }

    /** Every row of the table, cell by cell, for failure messages. */
    static String dump(Table table) {
        return Arrays.stream(table.getItems())
                .map(i -> IntStream.range(0, table.getColumnCount()).mapToObj(i::getText)
                        .collect(Collectors.joining(" | ", "[", "]")))
                .collect(Collectors.joining(", "));
    }

    /**
     * Saves what the control shows as a PNG, e.g. under {@code target/screenshots}. GTK lays out and draws on its
     * frame clock, after the widgets changed; the event loop runs for a few frames first so that the picture shows
     * the state the test just asserted. (Only the picture waits for this; no assertion depends on it.)
     */
    static Path screenshot(Control control, Path file) {
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
