package comfy.workbench.ui.queue.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

import org.eclipse.swt.SWTException;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;

import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheSpec;

/**
 * Thumbnails of a job's output images: read and scaled off the UI thread, kept in the cache manager's
 * {@value #CACHE} cache within {@value #BUDGET_BYTES} bytes. The key holds the file's size and modification time, so a
 * file written again is read again. Without a cache manager they are made afresh each time. Files SWT cannot decode
 * (WebP, video, audio) have none.
 */
final class OutputThumbnails {

    static final String CACHE = "ui.thumbnails";
    /** The longest edge of a thumbnail, in pixels. */
    static final int EDGE = 96;
    static final long BUDGET_BYTES = 32L << 20;

    /** A file as it was when its thumbnail was made. */
    record Key(Path file, long size, long modifiedMillis) {
    }

    private final Cache<Key, ImageData> cache;

    OutputThumbnails(CacheManager caches) {
        this.cache = caches == null ? null
                : caches.create(CacheSpec.<Key, ImageData>of(CACHE, CachePolicy.weight(BUDGET_BYTES))
                        .withWeigher((key, image) -> weight(image)));
    }

    /** The file's thumbnail, or empty when it is gone or not an image SWT can read. */
    Optional<ImageData> thumbnail(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return Optional.empty();
        }
        Key key = new Key(file, attributes.size(), attributes.lastModifiedTime().toMillis());
        try {
            return Optional.ofNullable(cache == null ? scaled(key) : cache.get(key, OutputThumbnails::scaled));
        } catch (SWTException | IllegalArgumentException e) {
            return Optional.empty(); // not an image SWT decodes; nothing is cached for it
        }
    }

    private static ImageData scaled(Key key) {
        ImageData[] frames;
        try (InputStream in = Files.newInputStream(key.file())) {
            frames = new ImageLoader().load(in);
        } catch (IOException e) {
            return null;
        }
        if (frames.length == 0) {
            return null;
        }
        return fit(frames[0], EDGE);
    }

    /** The image scaled down, keeping its proportions, so that its longest edge is at most {@code edge} pixels. */
    static ImageData fit(ImageData image, int edge) {
        double scale = Math.min(1.0, (double) edge / Math.max(image.width, image.height));
        return scale == 1.0 ? image
                : image.scaledTo(Math.max(1, (int) Math.round(image.width * scale)),
                        Math.max(1, (int) Math.round(image.height * scale)));
    }

    private static int weight(ImageData image) {
        return image.data.length + (image.alphaData == null ? 0 : image.alphaData.length) + 128;
    }
}
