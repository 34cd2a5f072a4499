package comfy.workbench.benchmarks;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A trace of keys drawn from a Zipf distribution: rank r (1-based) of {@code n} has probability proportional to
 * {@code 1 / r^s}. Ranks are scrambled into keys with a fixed bijection, so the hot keys are not neighbours. The same
 * seed gives the same trace.
 */
final class ZipfTrace {

    private ZipfTrace() {
    }

    /** {@code length} keys in {@code [0, n)}. */
    static int[] keys(int n, double s, int length, long seed) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += 1.0 / Math.pow(r + 1, s);
            cumulative[r] = sum;
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] trace = new int[length];
        for (int i = 0; i < length; i++) {
            double u = random.nextDouble() * sum;
            int rank = Arrays.binarySearch(cumulative, u);
            if (rank < 0) {
                rank = -rank - 1;
            }
            trace[i] = scramble(Math.min(rank, n - 1), n);
        }
        return trace;
    }

    /**
     * The same trace with popularity that moves: every {@code period} requests each key is renamed (shifted by a fixed
     * stride modulo {@code n}), so the keys that were hot become random ones and a new set is hot — the workload where
     * frequencies must age.
     */
    static int[] moving(int n, double s, int length, long seed, int period) {
        int[] trace = keys(n, s, length, seed);
        long stride = (long) (n * 0.618) | 1;
        for (int i = 0; i < length; i++) {
            trace[i] = (int) ((trace[i] + (i / period) * stride) % n);
        }
        return trace;
    }

    /** A bijection of {@code [0, n)}: multiplication by an odd constant modulo the next power of two, cycle-walked. */
    private static int scramble(int rank, int n) {
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
        int mask = bits == 32 ? -1 : (1 << bits) - 1;
        int x = rank;
        do {
            x = (x * 0x9E3779B1 + 0x7F4A7C15) & mask;
        } while (x >= n);
        return x;
    }
}
