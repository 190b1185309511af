package io.posestream.models.savedmodel;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * TensorFlow session options an operator may set: CPU threading, and on the GPU build memory growth (so several
 * workers share one card) and device-placement logging (to check ops really run on the GPU).
 *
 * @param intraOpThreads threads inside one op; 0 lets TensorFlow choose (all cores)
 * @param interOpThreads ops run in parallel; 0 lets TensorFlow choose
 * @param gpuMemoryGrowth allocate GPU memory as needed instead of all of it at start
 * @param logDevicePlacement log which device each op runs on
 */
public record SessionSettings(
        int intraOpThreads, int interOpThreads, boolean gpuMemoryGrowth, boolean logDevicePlacement) {

    /** TensorFlow's own choices, with GPU memory growth on. */
    public static final SessionSettings DEFAULTS = new SessionSettings(0, 0, true, false);

    public SessionSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("TF thread counts must be >= 0 (0 = TensorFlow's choice), got intra="
                    + intraOpThreads + " inter=" + interOpThreads);
        }
    }

    /** The session configuration these settings mean. */
    public ConfigProto toConfigProto() {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .setAllowSoftPlacement(true)
                .setLogDevicePlacement(logDevicePlacement)
                .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(gpuMemoryGrowth))
                .build();
    }
}
