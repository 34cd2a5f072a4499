package comfy.workbench.testing.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import comfy.workbench.testing.fake.Burst;

/** The self-checking frames of {@link Burst}: what a burst test relies on to tell a damaged frame. */
class BurstTest {

    private final Burst burst = new Burst(4, 64 * 1024);

    @Test
    void framesVerifyAndCarryTheirIndexBehindALegacyPreviewHeader() {
        for (int i = 0; i < burst.frames(); i++) {
            byte[] frame = burst.frame(i);
            assertEquals(burst.frameSize(), frame.length);
            ByteBuffer b = ByteBuffer.wrap(frame);
            assertEquals(1, b.getInt(0), "legacy preview type");
            assertEquals(1, b.getInt(4), "JPEG");
            assertEquals(i, burst.verify(b));
            assertEquals(0, b.position(), "verify does not consume the buffer");
        }
        assertTrue(!Arrays.equals(burst.frame(0), burst.frame(1)), "frames differ");
        assertTrue(Arrays.equals(burst.frame(2), burst.frame(2)), "and are deterministic");
    }

    @Test
    void aLostOrChangedByteIsCaught() {
        byte[] frame = burst.frame(1);
        frame[40_000] ^= 1;
        IllegalArgumentException corrupt = assertThrows(IllegalArgumentException.class, () -> burst.verify(ByteBuffer.wrap(frame)));
        assertTrue(corrupt.getMessage().contains("corrupt"), corrupt.getMessage());

        byte[] shorter = Arrays.copyOf(burst.frame(1), burst.frameSize() - 16_384);
        assertThrows(IllegalArgumentException.class, () -> burst.verify(ByteBuffer.wrap(shorter)));
        assertThrows(IllegalArgumentException.class, () -> new Burst(4, 64 * 1024 + 1).verify(ByteBuffer.wrap(burst.frame(0))));
    }
}
