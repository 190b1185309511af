package io.posestream.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Batches as large as fit the time bound at the measured time per frame. */
class BatchSizerTest {

    @Test
    void oneFrameUntilMeasuredThenAsManyAsFitTheBound() {
        BatchSizer sizer = new BatchSizer(8, 250);
        assertThat(sizer.frames()).isEqualTo(1);

        // A GPU-like 20 ms a frame: 12 would fit, the frame limit holds it at 8.
        sizer.processed(1, 20);
        assertThat(sizer.frames()).isEqualTo(8);
    }

    @Test
    void aCpuFrameOfAFewHundredMillisecondsKeepsBatchesAtOneFrame() {
        BatchSizer sizer = new BatchSizer(8, 250);
        sizer.processed(4, 1200);
        assertThat(sizer.frames()).isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            sizer.processed(1, 280);
        }
        assertThat(sizer.frames()).isEqualTo(1);
    }

    @Test
    void theMeanFollowsTheWorkerWhenItSpeedsUp() {
        BatchSizer sizer = new BatchSizer(8, 250);
        sizer.processed(1, 2000); // TensorFlow's slow first call
        assertThat(sizer.frames()).isEqualTo(1);
        for (int i = 0; i < 60; i++) {
            sizer.processed(sizer.frames(), 40L * sizer.frames());
        }
        assertThat(sizer.frames()).isEqualTo(6);
    }

    @Test
    void boundOffAlwaysTakesTheFrameLimitAndBatchesWithoutPosedFramesTeachNothing() {
        BatchSizer off = new BatchSizer(8, 0);
        off.processed(1, 5000);
        assertThat(off.frames()).isEqualTo(8);

        BatchSizer sizer = new BatchSizer(8, 250);
        sizer.processed(0, 5000); // only stale frames answered
        assertThat(sizer.frames()).isEqualTo(1);
        sizer.processed(2, 50);
        assertThat(sizer.frames()).isEqualTo(8);
    }
}
