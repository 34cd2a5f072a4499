package comfy.workbench.monitor.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/** Counts per second over the last minute, in a ring of 60 one-second slots, lock-free (approximate at a slot's turn). */
final class RateMeter {

    private static final int SLOTS = 60;
    private final AtomicLongArray counts = new AtomicLongArray(SLOTS);
    private final AtomicLongArray stamps = new AtomicLongArray(SLOTS);
    private final LongSupplier nanoClock;

    RateMeter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        for (int i = 0; i < SLOTS; i++) {
            stamps.set(i, -1);
        }
    }

    void add(long n) {
        long second = nanoClock.getAsLong() / 1_000_000_000L;
        int slot = (int) Math.floorMod(second, SLOTS);
        long stamp = stamps.get(slot);
        if (stamp != second && stamps.compareAndSet(slot, stamp, second)) {
            counts.set(slot, 0);
        }
        counts.addAndGet(slot, n);
    }

    /** The count of the last complete second. */
    double lastSecond() {
        long second = nanoClock.getAsLong() / 1_000_000_000L - 1;
        int slot = (int) Math.floorMod(second, SLOTS);
        return stamps.get(slot) == second ? counts.get(slot) : 0;
    }

    /** The mean per second over the last 60 complete seconds. */
    double lastMinute() {
        long now = nanoClock.getAsLong() / 1_000_000_000L;
        long sum = 0;
        for (int i = 0; i < SLOTS; i++) {
            long stamp = stamps.get(i);
            if (stamp < now && stamp >= now - SLOTS) {
                sum += counts.get(i);
            }
        }
        return sum / (double) SLOTS;
    }
}
