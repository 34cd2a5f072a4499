package comfy.workbench.cache.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a cache is: its unique name, its policy, and the functions the policy needs. Build with
 * {@link #of(String, CachePolicy)} and the {@code with...} methods (the key and value types usually need a type witness):
 *
 * <pre>
 * CacheSpec.&lt;String, NodeSchema&gt;of("node-schema", CachePolicy.entries(64).withDiskBytes(32L &lt;&lt; 20))
 *         .withCodec(new NodeSchemaCodec())
 * </pre>
 *
 * @param name a simple name, also the disk tier's folder name: letters, digits, {@code .}, {@code _}, {@code -},
 *            starting with a letter or digit, at most 100 characters (for example {@code node-schema})
 * @param policy the bounds, expiry, eviction and disk budget
 * @param weigher the entries' weights in bytes: needed exactly when the policy is bounded by weight, else {@code null}
 * @param codec how entries are written to disk: needed exactly when the policy has a disk tier, else {@code null}
 * @param <K> the key type
 * @param <V> the value type
 */
public record CacheSpec<K, V>(String name, CachePolicy policy, CacheWeigher<? super K, ? super V> weigher,
        CacheCodec<K, V> codec) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /** Checks the name and that there is a policy; the rest is checked by {@link #validate()}. */
    public CacheSpec {
        requireName(name);
        if (policy == null) {
            throw new IllegalArgumentException("policy must be given for cache " + name);
        }
    }

    /**
     * Checks that the spec is complete: a weigher exactly when the policy is bounded by weight, a codec exactly when it
     * has a disk tier. {@link CacheManager#create(CacheSpec)} calls it.
     *
     * @return this spec
     * @throws IllegalArgumentException naming the missing or superfluous field
     */
    public CacheSpec<K, V> validate() {
        if (policy.weighted() && weigher == null) {
            throw new IllegalArgumentException("weigher must be given for cache " + name
                    + ": its policy is bounded by maximumWeightBytes");
        }
        if (!policy.weighted() && weigher != null) {
            throw new IllegalArgumentException("weigher must not be given for cache " + name
                    + ": its policy is bounded by maximumEntries");
        }
        if (policy.hasDiskTier() && codec == null) {
            throw new IllegalArgumentException("codec must be given for cache " + name + ": its policy has a disk tier");
        }
        if (!policy.hasDiskTier() && codec != null) {
            throw new IllegalArgumentException("codec must not be given for cache " + name
                    + ": its policy has no disk tier (diskBytes 0)");
        }
        return this;
    }

    /**
     * Checks a cache name: a simple folder name.
     *
     * @throws IllegalArgumentException naming the field and the value
     */
    public static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-', starting with a letter "
                    + "or digit, at most 100 characters: " + name);
        }
        return name;
    }

    /** A spec without weigher and codec (add them with {@link #withWeigher} and {@link #withCodec}). */
    public static <K, V> CacheSpec<K, V> of(String name, CachePolicy policy) {
        return new CacheSpec<>(name, policy, null, null);
    }

    /** This spec with a weigher. */
    public CacheSpec<K, V> withWeigher(CacheWeigher<? super K, ? super V> w) {
        return new CacheSpec<>(name, policy, w, codec);
    }

    /** This spec with a codec for the disk tier. */
    public CacheSpec<K, V> withCodec(CacheCodec<K, V> c) {
        return new CacheSpec<>(name, policy, weigher, c);
    }

    /**
     * Whether a cache created with {@code other} serves this spec: same name, equal policy, and weigher and codec of
     * the same classes (or both absent). Functions are compared by class, not identity, so that a component that is
     * re-activated and creates its cache again, with new lambda instances from the same code, gets it back.
     */
    public boolean isCompatibleWith(CacheSpec<?, ?> other) {
        return other != null && name.equals(other.name) && policy.equals(other.policy)
                && Objects.equals(classOf(weigher), classOf(other.weigher))
                && Objects.equals(classOf(codec), classOf(other.codec));
    }

    private static Class<?> classOf(Object o) {
        return o == null ? null : o.getClass();
    }
}
