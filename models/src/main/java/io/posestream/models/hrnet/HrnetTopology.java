package io.posestream.models.hrnet;

import java.util.ArrayList;
import java.util.List;

/**
 * The HRNet pose network of Sun et al. (CVPR 2019), structured and named as the official PyTorch code
 * ({@code lib/models/pose_hrnet.py} with the {@code experiments/coco/hrnet} configs) so every weight has its
 * official {@code state_dict} name:
 * <ol>
 *   <li>stem: {@code conv1}/{@code bn1}, {@code conv2}/{@code bn2}, two stride-2 3x3 convolutions (1/4 resolution);</li>
 *   <li>{@code layer1}: four Bottleneck blocks to 256 channels;</li>
 *   <li>{@code transition1..3} adding a branch at half the resolution each time, then {@code stage2..4} of 1, 4 and
 *       3 HighResolutionModules: four BasicBlocks per branch, then {@code fuse_layers} exchanging between all
 *       branches. The last module of stage 4 fuses into the highest-resolution branch only;</li>
 *   <li>{@code final_layer}: 1x1 convolution with bias to 17 heatmaps.</li>
 * </ol>
 */
final class HrnetTopology {
    static final int JOINTS = 17;
    private static final int[] MODULES = {1, 4, 3};
    private static final int BLOCKS = 4;

    private HrnetTopology() {}

    /** Runs {@code input} (normalised image) through the network and returns the heatmaps. */
    static <T> T forward(HrnetArch arch, HrnetLayers<T> n, T input) {
        T x = n.relu(n.batchNorm("bn1", n.conv("conv1", input, 3, 64, 3, 2, false), 64));
        x = n.relu(n.batchNorm("bn2", n.conv("conv2", x, 64, 64, 3, 2, false), 64));
        int in = 64;
        for (int b = 0; b < 4; b++) {
            x = bottleneck(n, "layer1." + b, x, in, 64);
            in = 256;
        }
        List<T> ys = List.of(x);
        int[] previous = {256};
        for (int stage = 2; stage <= 4; stage++) {
            int[] channels = new int[stage];
            for (int i = 0; i < stage; i++) {
                channels[i] = arch.width() << i;
            }
            ys = transition(n, "transition" + (stage - 1), ys, previous, channels);
            int modules = MODULES[stage - 2];
            for (int m = 0; m < modules; m++) {
                boolean allBranches = !(stage == 4 && m == modules - 1);
                ys = module(n, "stage" + stage + "." + m, ys, channels, allBranches);
            }
            previous = channels;
        }
        return n.conv("final_layer", ys.get(0), arch.width(), JOINTS, 1, 1, true);
    }

    private static <T> T bottleneck(HrnetLayers<T> n, String p, T x, int in, int planes) {
        T y = n.relu(n.batchNorm(p + ".bn1", n.conv(p + ".conv1", x, in, planes, 1, 1, false), planes));
        y = n.relu(n.batchNorm(p + ".bn2", n.conv(p + ".conv2", y, planes, planes, 3, 1, false), planes));
        y = n.batchNorm(p + ".bn3", n.conv(p + ".conv3", y, planes, planes * 4, 1, 1, false), planes * 4);
        T residual = in == planes * 4
                ? x
                : n.batchNorm(
                        p + ".downsample.1", n.conv(p + ".downsample.0", x, in, planes * 4, 1, 1, false), planes * 4);
        return n.relu(n.add(y, residual));
    }

    private static <T> T basic(HrnetLayers<T> n, String p, T x, int c) {
        T y = n.relu(n.batchNorm(p + ".bn1", n.conv(p + ".conv1", x, c, c, 3, 1, false), c));
        y = n.batchNorm(p + ".bn2", n.conv(p + ".conv2", y, c, c, 3, 1, false), c);
        return n.relu(n.add(y, x));
    }

    /**
     * Existing branches pass through (or get a 3x3 conv when their channels change); each new branch grows from the
     * lowest-resolution one by stride-2 3x3 convs.
     */
    private static <T> List<T> transition(HrnetLayers<T> n, String p, List<T> ys, int[] previous, int[] current) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < current.length; i++) {
            if (i < previous.length) {
                T y = ys.get(i);
                if (current[i] != previous[i]) {
                    y = n.relu(n.batchNorm(
                            p + "." + i + ".1",
                            n.conv(p + "." + i + ".0", y, previous[i], current[i], 3, 1, false),
                            current[i]));
                }
                out.add(y);
            } else {
                T y = ys.get(ys.size() - 1);
                int in = previous[previous.length - 1];
                int steps = i + 1 - previous.length;
                for (int k = 0; k < steps; k++) {
                    int c = k == steps - 1 ? current[i] : in;
                    String q = p + "." + i + "." + k;
                    y = n.relu(n.batchNorm(q + ".1", n.conv(q + ".0", y, in, c, 3, 2, false), c));
                    in = c;
                }
                out.add(y);
            }
        }
        return out;
    }

    /** A HighResolutionModule: BasicBlocks per branch, then the fuse layers (one output per branch, or only the first). */
    private static <T> List<T> module(HrnetLayers<T> n, String p, List<T> xs, int[] c, boolean allBranches) {
        List<T> branches = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            T x = xs.get(i);
            for (int b = 0; b < BLOCKS; b++) {
                x = basic(n, p + ".branches." + i + "." + b, x, c[i]);
            }
            branches.add(x);
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < (allBranches ? xs.size() : 1); i++) {
            T y = null;
            for (int j = 0; j < xs.size(); j++) {
                String q = p + ".fuse_layers." + i + "." + j;
                T t = branches.get(j);
                if (j > i) { // lower resolution: 1x1 conv + BN to C_i, then nearest upsampling
                    t = n.upsample(
                            n.batchNorm(q + ".1", n.conv(q + ".0", t, c[j], c[i], 1, 1, false), c[i]), 1 << (j - i));
                } else if (j < i) { // higher resolution: stride-2 3x3 conv + BN per halving, ReLU on all but the last
                    for (int k = 0; k < i - j; k++) {
                        boolean last = k == i - j - 1;
                        int outC = last ? c[i] : c[j];
                        t = n.batchNorm(
                                q + "." + k + ".1", n.conv(q + "." + k + ".0", t, c[j], outC, 3, 2, false), outC);
                        if (!last) {
                            t = n.relu(t);
                        }
                    }
                }
                y = y == null ? t : n.add(y, t);
            }
            out.add(n.relu(y));
        }
        return out;
    }
}
