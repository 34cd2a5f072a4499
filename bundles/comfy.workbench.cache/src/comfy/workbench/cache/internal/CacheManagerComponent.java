package comfy.workbench.cache.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import comfy.workbench.cache.api.BlobCache;
import comfy.workbench.cache.api.Cache;
import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheManager;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.api.CacheStats;
import comfy.workbench.connection.api.DataLocation;

/** The {@link CacheManager} service, with its disk tiers under {@code cache/} in the data folder. */
@Component(service = CacheManager.class, immediate = true, configurationPid = CacheManagerComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CacheManagerComponent.Config.class)
public final class CacheManagerComponent implements CacheManager {

    static final String PID = "comfy.workbench.cache";
    private static final Logger LOG = LoggerFactory.getLogger(CacheManagerComponent.class);

    /** Configuration of the cache manager. */
    @ObjectClassDefinition(name = "Comfy Workbench caches", description = "Named caches with memory and disk tiers")
    public @interface Config {
        @AttributeDefinition(name = "Directory", description = "The disk tiers' folder; empty for cache/ under the "
                + "data folder")
        String directory() default "";
    }

    private final CacheManagerImpl caches;

    @Activate
    public CacheManagerComponent(@Reference DataLocation data, Config config) {
        Path root;
        if (!config.directory().isBlank()) {
            root = Path.of(config.directory()).toAbsolutePath();
        } else {
            try {
                root = data.area("cache");
            } catch (IOException e) {
                // the disk tiers then report the folder in their health; the memory tiers work
                root = data.root().resolve("cache");
                LOG.warn("cannot create the cache folder {}: {}", root, e.toString());
            }
        }
        caches = new CacheManagerImpl(root);
    }

    @Override
    public <K, V> Cache<K, V> create(CacheSpec<K, V> spec) {
        return caches.create(spec);
    }

    @Override
    public BlobCache blobCache(String name, long maximumBytes) {
        return caches.blobCache(name, maximumBytes);
    }

    @Override
    public Optional<Cache<?, ?>> find(String name) {
        return caches.find(name);
    }

    @Override
    public Optional<BlobCache> findBlobCache(String name) {
        return caches.findBlobCache(name);
    }

    @Override
    public List<CacheStats> statistics() {
        return caches.statistics();
    }

    @Override
    public List<CacheHealth> health() {
        return caches.health();
    }

    @Override
    public void remove(String name) {
        caches.remove(name);
    }
}
