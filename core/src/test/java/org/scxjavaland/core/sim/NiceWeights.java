package org.scxjavaland.core.sim;

/**
 * Task weights as sched_ext reports them: the kernel's nice-to-weight table (nice 0 = 1024, each step ~1.25x)
 * rescaled so that nice 0 = 100, rounded, within 1..10000.
 */
public final class NiceWeights {
    private static final int[] KERNEL = {
            /* -20 */ 88761, 71755, 56483, 46273, 36291,
            /* -15 */ 29154, 23254, 18705, 14949, 11916,
            /* -10 */ 9548, 7620, 6100, 4904, 3906,
            /*  -5 */ 3121, 2501, 1991, 1586, 1277,
            /*   0 */ 1024, 820, 655, 526, 423,
            /*   5 */ 335, 272, 215, 172, 137,
            /*  10 */ 110, 87, 70, 56, 45,
            /*  15 */ 36, 29, 23, 18, 15,
    };

    public static long weight(int nice) {
        if (nice < -20 || nice > 19) throw new IllegalArgumentException("nice out of range: " + nice);
        long w = Math.round(KERNEL[nice + 20] * 100.0 / 1024.0);
        return Math.max(1, Math.min(10_000, w));
    }

    private NiceWeights() {
    }
}
