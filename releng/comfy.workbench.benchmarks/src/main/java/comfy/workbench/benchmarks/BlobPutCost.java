package comfy.workbench.benchmarks;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

import com.github.benmanes.caffeine.cache.Ticker;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.internal.CacheManagerImpl;

/**
 * What keeping a copy of a small downloaded output costs: puts of one file into a blob cache (as the queue's
 * {@code queue.outputs} does after each download), timed per round, under a temporary folder.
 *
 * <pre>java -cp benchmarks.jar comfy.workbench.benchmarks.BlobPutCost [rounds] [puts per round] [bytes]</pre>
 */
public final class BlobPutCost {

    private BlobPutCost() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int puts = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 600;
        Path dir = ScratchFolder.create("blob-put-cost");
        BlobCache blobs = new CacheManagerImpl(dir, Ticker.systemTicker(), Clock.systemUTC(), Runnable::run)
                .blobCache("outputs", 1L << 30);
        Path source = Files.write(dir.resolve("output.png"), new byte[bytes]);
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < puts; i++) {
                try (InputStream in = Files.newInputStream(source)) {
                    blobs.put("server\nprompt-" + round + "-" + i + "\noutput\n\noutput.png", in);
                }
            }
            System.out.printf(Locale.ROOT, "round %d: %,d puts of %,d bytes, %.1f µs each%n", round, puts, bytes,
                    (System.nanoTime() - start) / 1e3 / puts);
        }
    }
}
