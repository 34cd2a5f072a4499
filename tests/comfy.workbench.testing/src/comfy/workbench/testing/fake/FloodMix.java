package comfy.workbench.testing.fake;

/**
 * The proportions of a text flood, in tenths: by default 6 {@code progress}, 3 {@code progress_state} and
 * 1 {@code executing} message out of every 10, as a sampler streaming steps produces.
 *
 * @param progress       how many of every ten frames are {@code progress}
 * @param progressState  how many are {@code progress_state}
 * @param executing      how many are {@code executing}
 */
public record FloodMix(int progress, int progressState, int executing) {

    /** 60 % progress, 30 % progress_state, 10 % executing. */
    public static final FloodMix DEFAULT = new FloodMix(6, 3, 1);

    public FloodMix {
        if (progress < 0 || progressState < 0 || executing < 0 || progress + progressState + executing == 0) {
            throw new IllegalArgumentException("a flood mix needs non-negative parts and at least one frame kind");
        }
    }
}
