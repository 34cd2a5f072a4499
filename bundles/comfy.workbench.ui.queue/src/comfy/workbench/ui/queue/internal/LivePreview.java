package comfy.workbench.ui.queue.internal;

import java.io.ByteArrayInputStream;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.eclipse.swt.SWTException;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;

import comfy.workbench.monitor.api.ExecutionListener;
import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.PreviewEvent;

/**
 * The newest preview image the server sent of the one running job the view watches. Registered as an
 * {@link ExecutionListener} for previews, it decodes and scales them on the listener's own thread and hands the UI
 * thread one image at a time: a sampler sends several a second, and only the newest is worth drawing.
 */
final class LivePreview implements ExecutionListener {

    /** The longest edge of the preview, in pixels. */
    static final int EDGE = 256;

    /** The job watched: the server it runs on and its prompt id (a job's id is its prompt id). */
    record Watched(String serverId, String promptId) {

        Watched {
            Objects.requireNonNull(serverId, "serverId");
            Objects.requireNonNull(promptId, "promptId");
        }

        /**
         * Whether the preview shows this job: from its server, and of its prompt — or of no named prompt, as in
         * ComfyUI's legacy preview frames, which belong to the prompt the server runs (one at a time).
         */
        boolean shownBy(PreviewEvent preview) {
            return serverId.equals(preview.serverId())
                    && (preview.promptId() == null || promptId.equals(preview.promptId()));
        }
    }

    /** A decoded preview of a watched job. */
    record Frame(Watched of, ImageData image) {
    }

    private final Executor ui;
    private final Consumer<Frame> show;
    private volatile Watched watched;
    /** The newest frame not yet taken by the UI thread; a task is pending exactly while this is set. */
    private final AtomicReference<Frame> pending = new AtomicReference<>();

    /**
     * @param ui   runs tasks on the UI thread
     * @param show draws a frame; called on the UI thread
     */
    LivePreview(Executor ui, Consumer<Frame> show) {
        this.ui = ui;
        this.show = show;
    }

    /** Watches another job, or none ({@code null}). */
    void watch(Watched job) {
        watched = job;
    }

    Watched watched() {
        return watched;
    }

    @Override
    public void onEvent(MonitorEvent event) {
        Watched job = watched;
        if (!(event instanceof PreviewEvent preview) || job == null || !job.shownBy(preview)) {
            return;
        }
        ImageData image;
        try {
            ImageData[] frames = new ImageLoader().load(new ByteArrayInputStream(preview.toByteArray()));
            if (frames.length == 0) {
                return;
            }
            image = OutputThumbnails.fit(frames[0], EDGE);
        } catch (SWTException | IllegalArgumentException e) {
            return; // a format SWT does not decode (ComfyUI may send WebP): no preview rather than a broken one
        }
        if (pending.getAndSet(new Frame(job, image)) == null) {
            ui.execute(() -> {
                Frame newest = pending.getAndSet(null);
                if (newest != null && newest.of().equals(watched)) {
                    show.accept(newest);
                }
            });
        }
    }
}
