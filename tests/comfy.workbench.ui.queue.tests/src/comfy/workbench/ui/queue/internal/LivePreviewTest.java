package comfy.workbench.ui.queue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.PaletteData;
import org.junit.jupiter.api.Test;

import comfy.workbench.monitor.api.PreviewEvent;
import comfy.workbench.monitor.api.ProgressEvent;

/**
 * Which previews the Jobs view takes as the watched job's: the monitor hands the view's listener every preview of
 * every server, and the view must show only the watched job's. UI tasks are collected and run by the test, as the UI
 * thread would run them.
 */
class LivePreviewTest {

    private final List<Runnable> uiTasks = new ArrayList<>();
    private final List<LivePreview.Frame> shown = new ArrayList<>();
    private final Executor ui = uiTasks::add;
    private final LivePreview live = new LivePreview(ui, shown::add);
    private final LivePreview.Watched job = new LivePreview.Watched("studio-a", "prompt-1");

    @Test
    void showsPreviewsOfTheWatchedPromptAndLegacyPreviewsOfItsServerOnly() {
        live.watch(job);
        live.onEvent(preview("studio-a", "prompt-2", 10, 10)); // another prompt on the same server
        live.onEvent(preview("studio-b", "prompt-1", 11, 11)); // another server
        live.onEvent(new ProgressEvent("studio-a", Instant.now(), "prompt-1", "2", 3, 20)); // not a preview
        runUiTasks();
        assertEquals(List.of(), shown);

        live.onEvent(preview("studio-a", "prompt-1", 12, 12));
        runUiTasks();
        live.onEvent(preview("studio-a", null, 13, 13)); // a legacy frame names no prompt: the running one's
        runUiTasks();
        assertEquals(List.of(12, 13), shown.stream().map(f -> f.image().width).toList());
        assertTrue(shown.stream().allMatch(f -> f.of().equals(job)));
    }

    @Test
    void theUiThreadDrawsOnlyTheNewestOfTheFramesThatArrivedBeforeItRan() {
        live.watch(job);
        live.onEvent(preview("studio-a", "prompt-1", 20, 20));
        live.onEvent(preview("studio-a", "prompt-1", 21, 21));
        live.onEvent(preview("studio-a", "prompt-1", 22, 22));
        assertEquals(1, uiTasks.size(), "one task for a burst of frames");
        runUiTasks();
        assertEquals(List.of(22), shown.stream().map(f -> f.image().width).toList());
    }

    @Test
    void aFrameOfAJobNoLongerWatchedWhenTheUiThreadRunsIsNotDrawn() {
        live.watch(job);
        live.onEvent(preview("studio-a", "prompt-1", 30, 30));
        live.watch(new LivePreview.Watched("studio-a", "prompt-9")); // the user selected another job meanwhile
        runUiTasks();
        live.watch(null);
        live.onEvent(preview("studio-a", "prompt-1", 31, 31));
        runUiTasks();
        assertEquals(List.of(), shown);
    }

    @Test
    void anUndecodableOrEmptyPreviewIsSkippedAndTheNextOneShown() {
        live.watch(job);
        live.onEvent(new PreviewEvent("studio-a", Instant.now(), "prompt-1", "2", "2", "image/webp",
                ByteBuffer.wrap(new byte[] { 'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P' })));
        live.onEvent(new PreviewEvent("studio-a", Instant.now(), "prompt-1", "2", "2", "image/png",
                ByteBuffer.allocate(0)));
        runUiTasks();
        assertEquals(List.of(), shown);
        live.onEvent(preview("studio-a", "prompt-1", 40, 30));
        runUiTasks();
        assertEquals(List.of(40), shown.stream().map(f -> f.image().width).toList());
    }

    @Test
    void aLargePreviewIsScaledToTheViewsEdgeKeepingItsProportions() {
        live.watch(job);
        live.onEvent(preview("studio-a", "prompt-1", 768, 1024));
        runUiTasks();
        assertEquals(1, shown.size());
        assertEquals(192, shown.get(0).image().width);
        assertEquals(LivePreview.EDGE, shown.get(0).image().height);
    }

    private void runUiTasks() {
        List<Runnable> tasks = new ArrayList<>(uiTasks);
        uiTasks.clear();
        tasks.forEach(Runnable::run);
    }

    private static PreviewEvent preview(String server, String prompt, int width, int height) {
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { new ImageData(width, height, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF)) };
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        loader.save(png, SWT.IMAGE_PNG);
        return new PreviewEvent(server, Instant.now(), prompt, prompt == null ? null : "2", prompt == null ? null : "2",
                "image/png", ByteBuffer.wrap(png.toByteArray()));
    }
}
