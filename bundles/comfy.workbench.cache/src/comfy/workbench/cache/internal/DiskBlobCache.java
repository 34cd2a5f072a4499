package comfy.workbench.cache.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.api.CacheStats;

/** A {@link BlobCache}: a {@link DiskStore} of streams. */
final class DiskBlobCache implements BlobCache, Managed {

    private final String name;
    private final DiskStore disk;

    DiskBlobCache(String name, DiskStore disk) {
        this.name = name;
        this.disk = disk;
    }

    long maximumBytes() {
        return disk.budget();
    }

    @Override
    public CacheSpec<?, ?> spec() {
        return null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<InputStream> open(String key) {
        return Optional.ofNullable(disk.open(key));
    }

    @Override
    public boolean put(String key, InputStream data) throws IOException {
        return disk.write(key, data);
    }

    @Override
    public boolean contains(String key) {
        return disk.contains(key);
    }

    @Override
    public void invalidate(String key) {
        disk.remove(key);
    }

    @Override
    public void invalidateAll() {
        disk.clear();
    }

    @Override
    public CacheStats stats() {
        long hits = disk.hits.sum();
        return new CacheStats(name, hits, disk.misses.sum(), 0, 0, Duration.ZERO, 0, disk.expired.sum(), 0, 0, 0, 0,
                hits, disk.entries(), disk.bytes(), disk.evictions.sum(), disk.corrupt.sum(), disk.errors.sum());
    }

    @Override
    public CacheHealth health() {
        return HealthRules.assess(stats(), null, disk);
    }

    @Override
    public void drop() {
        disk.destroy();
    }
}
