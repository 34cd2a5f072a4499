package comfy.workbench.testing.fake.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Scripted HTTP faults, matched against a request's route key such as {@code "POST /prompt"}. */
public final class Faults {

    /** A stall: requests whose key matches wait until released or until the duration (if any) has passed. */
    public static final class Stall {
        private final Pattern pattern;
        private final Duration duration;
        private final CountDownLatch released = new CountDownLatch(1);

        Stall(Pattern pattern, Duration duration) {
            this.pattern = pattern;
            this.duration = duration;
        }

        public void release() {
            released.countDown();
        }

        void await() throws InterruptedException {
            if (duration == null) {
                released.await();
            } else {
                released.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    private final List<Stall> stalls = new CopyOnWriteArrayList<>();
    private final List<Pattern> failures = new CopyOnWriteArrayList<>();

    public Stall stall(String regex, Duration duration) {
        Stall s = new Stall(Pattern.compile(regex), duration);
        stalls.add(s);
        return s;
    }

    public void unstall(Stall s) {
        stalls.remove(s);
        s.release();
    }

    public void failWith500(String regex) {
        failures.add(Pattern.compile(regex));
    }

    public void clear() {
        failures.clear();
        stalls.forEach(Stall::release);
        stalls.clear();
    }

    /** Waits out every stall matching the key. */
    public void awaitStalls(String key) throws InterruptedException {
        for (Stall s : stalls) {
            if (s.pattern.matcher(key).matches()) {
                s.await();
            }
        }
    }

    public boolean shouldFail(String key) {
        return failures.stream().anyMatch(p -> p.matcher(key).matches());
    }
}
