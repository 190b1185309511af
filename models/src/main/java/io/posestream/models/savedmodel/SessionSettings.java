package io.posestream.models.savedmodel;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;

/**
 * TensorFlow session options an operator may set: CPU threading, XLA JIT compilation, and on the GPU build memory
 * growth (so several workers share one card) and device-placement logging (to check ops really run on the GPU).
 *
 * @param intraOpThreads     threads inside one op; 0 lets TensorFlow choose (all cores)
 * @param interOpThreads     ops run in parallel; 0 lets TensorFlow choose
 * @param gpuMemoryGrowth    allocate GPU memory as needed instead of all of it at start
 * @param logDevicePlacement log which device each op runs on
 * @param xlaJit             compile the graph with XLA ({@code global_jit_level ON_1}); TensorFlow applies it on GPUs,
 *                           and on CPUs only when the process also has {@code TF_XLA_FLAGS=--tf_xla_cpu_global_jit}
 */
public record SessionSettings(
        int intraOpThreads, int interOpThreads, boolean gpuMemoryGrowth, boolean logDevicePlacement, boolean xlaJit) {

    /** TensorFlow's own choices, with GPU memory growth on. */
    public static final SessionSettings DEFAULTS = new SessionSettings(0, 0, true, false, false);

    public SessionSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("TF thread counts must be >= 0 (0 = TensorFlow's choice), got intra="
                    + intraOpThreads + " inter=" + interOpThreads);
        }
    }

    /** Threads as given, TensorFlow's other defaults (GPU memory growth on, no XLA). */
    public static SessionSettings threads(int intraOpThreads, int interOpThreads) {
        return new SessionSettings(intraOpThreads, interOpThreads, true, false, false);
    }

    /** The session configuration these settings mean. */
    public ConfigProto toConfigProto() {
        ConfigProto.Builder config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .setAllowSoftPlacement(true)
                .setLogDevicePlacement(logDevicePlacement)
                .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(gpuMemoryGrowth));
        if (xlaJit) {
            config.setGraphOptions(GraphOptions.newBuilder()
                    .setOptimizerOptions(
                            OptimizerOptions.newBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1)));
        }
        return config.build();
    }
}
