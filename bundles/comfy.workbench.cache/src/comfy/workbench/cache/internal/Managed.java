package comfy.workbench.cache.internal;

import comfy.workbench.cache.api.CacheHealth;
import comfy.workbench.cache.api.CacheStats;

/** What the manager keeps of every cache and blob cache. */
interface Managed {

    String name();

    CacheStats stats();

    CacheHealth health();

    /** Drops memory and disk (the cache is being removed). */
    void drop();
}
