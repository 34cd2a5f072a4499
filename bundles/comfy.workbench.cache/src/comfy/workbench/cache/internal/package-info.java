/**
 * The cache manager's implementation: the memory tiers (Caffeine for {@code SIZE_AWARE}, bounded maps of its own for
 * {@code LRU} and {@code LFU}), the checksummed disk store, health rules, and the DS component.
 */
package comfy.workbench.cache.internal;
