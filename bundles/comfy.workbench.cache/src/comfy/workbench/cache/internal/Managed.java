package comfy.workbench.cache.internal;

import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.api.CacheStats;

/** What the manager keeps of every cache and blob cache. */
interface Managed {

    String name();

    /** The spec it was created with; {@code null} for a blob cache. */
    CacheSpec<?, ?> spec();

    CacheStats stats();

    CacheHealth health();

    /** Drops memory and disk (the cache is being removed). */
    void drop();
}
