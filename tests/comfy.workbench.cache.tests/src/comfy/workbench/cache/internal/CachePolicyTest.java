package comfy.workbench.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import comfy.workbench.cache.api.CachePolicy;
import comfy.workbench.cache.api.CacheSpec;
import comfy.workbench.cache.api.CacheWeigher;

class CachePolicyTest {

    private static void rejects(String field, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(field), x.getMessage() + " names " + field);
    }

    @Test
    void policyNamesTheBadField() {
        rejects("maximumEntries", () -> CachePolicy.entries(0));
        rejects("maximumWeightBytes", () -> CachePolicy.weight(-1));
        rejects("maximumEntries", () -> new CachePolicy(-1, 0, null, null, CachePolicy.Eviction.LRU, 0));
        rejects("exactly one of maximumEntries", () -> new CachePolicy(10, 10, null, null, CachePolicy.Eviction.LRU, 0));
        rejects("exactly one of maximumEntries", () -> new CachePolicy(0, 0, null, null, CachePolicy.Eviction.LRU, 0));
        rejects("expireAfterWrite", () -> CachePolicy.entries(1).withExpireAfterWrite(Duration.ZERO));
        rejects("expireAfterAccess", () -> CachePolicy.entries(1).withExpireAfterAccess(Duration.ofSeconds(-1)));
        rejects("eviction", () -> CachePolicy.entries(1).withEviction(null));
        rejects("diskBytes", () -> CachePolicy.entries(1).withDiskBytes(-5));
    }

    @Test
    void specNamesTheBadField() {
        rejects("name", () -> CacheSpec.of("../x", CachePolicy.entries(1)));
        rejects("name", () -> CacheSpec.of("", CachePolicy.entries(1)));
        rejects("name", () -> CacheSpec.of("a/b", CachePolicy.entries(1)));
        rejects("policy", () -> CacheSpec.<String, String>of("a", null));
        rejects("weigher", () -> CacheSpec.<String, String>of("a", CachePolicy.weight(100)).validate());
        rejects("weigher", () -> CacheSpec.<String, String>of("a", CachePolicy.entries(100)).withWeigher((k, v) -> 1).validate());
        rejects("codec", () -> CacheSpec.<String, String>of("a", CachePolicy.entries(100).withDiskBytes(1000)).validate());
        rejects("codec", () -> CacheSpec.<String, String>of("a", CachePolicy.entries(100)).withCodec(Codecs.text()).validate());
    }

    @Test
    void specsFromTheSameCodeAreCompatible() {
        CachePolicy p = CachePolicy.weight(100).withExpireAfterWrite(Duration.ofMinutes(1));
        CacheSpec<String, String> a = CacheSpec.<String, String>of("a", p).withWeigher(weigher(1));
        CacheSpec<String, String> b = CacheSpec.<String, String>of("a", p).withWeigher(weigher(2));
        assertTrue(a.isCompatibleWith(b), "new lambda instances of one call site are compatible");
        assertFalse(a.isCompatibleWith(CacheSpec.<String, String>of("a", p).withWeigher((k, v) -> 3)),
                "a weigher of another class is not");
        assertFalse(a.isCompatibleWith(CacheSpec.<String, String>of("a", CachePolicy.weight(101))
                .withWeigher(weigher(1))));
        assertEquals(CachePolicy.Eviction.SIZE_AWARE, p.eviction(), "W-TinyLFU is the default");
    }

    private static CacheWeigher<String, String> weigher(int extra) {
        return (k, v) -> v.length() + extra;
    }
}
