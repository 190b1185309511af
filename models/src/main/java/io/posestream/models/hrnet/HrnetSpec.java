package io.posestream.models.hrnet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weight table of an HRNet at one input size: every tensor of the official {@code state_dict} (minus the
 * {@code num_batches_tracked} counters) in module order, the trainable parameter count, and the multiply-accumulates
 * of one crop (all convolutions; batch norm folds into them, and adds and upsampling are not counted).
 */
public final class HrnetSpec {
    private final HrnetArch arch;
    private final InputSize input;
    private final List<StateDictTensor> weights;
    private final Map<String, StateDictTensor> byName;
    private final long macs;

    private HrnetSpec(HrnetArch arch, InputSize input, List<StateDictTensor> weights, long macs) {
        this.arch = arch;
        this.input = input;
        this.weights = Collections.unmodifiableList(weights);
        Map<String, StateDictTensor> map = new LinkedHashMap<>();
        weights.forEach(w -> map.put(w.name(), w));
        this.byName = Collections.unmodifiableMap(map);
        this.macs = macs;
    }

    /** Walks the network at {@code input} to collect its weights and count its work. */
    public static HrnetSpec of(HrnetArch arch, InputSize input) {
        Collector c = new Collector();
        Feature out = HrnetTopology.forward(arch, c, new Feature(input.height(), input.width(), 3));
        if (out.h * 4 != input.height() || out.w * 4 != input.width() || out.c != HrnetTopology.JOINTS) {
            throw new IllegalStateException("HRNet output " + out + " is not 1/4 of " + input);
        }
        return new HrnetSpec(arch, input, c.weights, c.macs);
    }

    public HrnetArch arch() {
        return arch;
    }

    public InputSize input() {
        return input;
    }

    /** Every tensor in module order. */
    public List<StateDictTensor> weights() {
        return weights;
    }

    public Map<String, StateDictTensor> byName() {
        return byName;
    }

    /** Trainable parameters (convolution weights and biases, batch-norm scales and shifts). */
    public long parameters() {
        return weights.stream()
                .filter(w -> w.role().trainable())
                .mapToLong(StateDictTensor::elements)
                .sum();
    }

    /** Multiply-accumulates of the convolutions for one crop. */
    public long macs() {
        return macs;
    }

    /** Heatmap grid of one crop: {@code [H/4, W/4, 17]}. */
    public int[] heatmapShape() {
        return new int[] {input.height() / 4, input.width() / 4, HrnetTopology.JOINTS};
    }

    /** A feature map's shape; all the collector needs. */
    record Feature(int h, int w, int c) {}

    private static final class Collector implements HrnetLayers<Feature> {
        final List<StateDictTensor> weights = new ArrayList<>();
        long macs;

        @Override
        public Feature conv(String name, Feature x, int in, int out, int kernel, int stride, boolean bias) {
            if (x.c != in) {
                throw new IllegalStateException(name + ": input has " + x.c + " channels, expected " + in);
            }
            int pad = kernel / 2;
            int h = (x.h + 2 * pad - kernel) / stride + 1;
            int w = (x.w + 2 * pad - kernel) / stride + 1;
            weights.add(new StateDictTensor(
                    name + ".weight", new long[] {out, in, kernel, kernel}, StateDictTensor.Role.CONV_WEIGHT));
            if (bias) {
                weights.add(new StateDictTensor(name + ".bias", new long[] {out}, StateDictTensor.Role.CONV_BIAS));
            }
            macs += (long) h * w * out * in * kernel * kernel;
            return new Feature(h, w, out);
        }

        @Override
        public Feature batchNorm(String name, Feature x, int channels) {
            if (x.c != channels) {
                throw new IllegalStateException(name + ": input has " + x.c + " channels, expected " + channels);
            }
            long[] shape = {channels};
            weights.add(new StateDictTensor(name + ".weight", shape, StateDictTensor.Role.BN_WEIGHT));
            weights.add(new StateDictTensor(name + ".bias", shape, StateDictTensor.Role.BN_BIAS));
            weights.add(new StateDictTensor(name + ".running_mean", shape, StateDictTensor.Role.BN_RUNNING_MEAN));
            weights.add(new StateDictTensor(name + ".running_var", shape, StateDictTensor.Role.BN_RUNNING_VAR));
            return x;
        }

        @Override
        public Feature relu(Feature x) {
            return x;
        }

        @Override
        public Feature add(Feature a, Feature b) {
            if (!a.equals(b)) {
                throw new IllegalStateException("adding feature maps of different shapes: " + a + " and " + b);
            }
            return a;
        }

        @Override
        public Feature upsample(Feature x, int factor) {
            return new Feature(x.h * factor, x.w * factor, x.c);
        }
    }
}
