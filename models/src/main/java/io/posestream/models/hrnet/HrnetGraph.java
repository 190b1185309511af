package io.posestream.models.hrnet;

import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.SessionSettings;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * An HRNet as a TensorFlow graph (NHWC, inference form) with a session, built with the TF Java Ops API:
 * ImageNet normalisation of the RGB 0..255 input inside the graph, stride-2 convolutions padded by one pixel on
 * every side as PyTorch pads them (not TF's asymmetric SAME), fused batch norm with eps 1e-5, nearest upsampling.
 * Every weight is a variable named by its official {@code state_dict} name (convolution kernels in TF's
 * {@code [kh, kw, in, out]} layout), so a SavedModel export stores them in its variables checkpoint.
 */
public final class HrnetGraph implements AutoCloseable {
    /** torchvision's ImageNet statistics, as the official HRNet evaluation normalises. */
    static final float[] MEAN = {0.485f, 0.456f, 0.406f};

    static final float[] STD = {0.229f, 0.224f, 0.225f};
    static final float BN_EPSILON = 1e-5f;
    /** Variables loaded per session run: bounds the memory of the feeds. */
    private static final int LOAD_CHUNK = 64;

    private final HrnetSpec spec;
    private final Graph graph;
    private final Session session;
    private final Signature signature;
    private final List<Slot> slots;

    private record Slot(StateDictTensor weight, Placeholder<TFloat32> feed, Assign<TFloat32> assign) {}

    private HrnetGraph(HrnetSpec spec, Graph graph, Session session, Signature signature, List<Slot> slots) {
        this.spec = spec;
        this.graph = graph;
        this.session = session;
        this.signature = signature;
        this.slots = slots;
    }

    /** Builds the graph for {@code spec}; its variables are empty until {@link #load(HrnetWeights)}. */
    public static HrnetGraph build(HrnetSpec spec, SessionSettings settings) {
        Graph graph = new Graph();
        try {
            Ops tf = Ops.create(graph);
            InputSize in = spec.input();
            Placeholder<TFloat32> image = tf.withName(ModelContract.INPUT)
                    .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, in.height(), in.width(), 3)));
            Ops norm = tf.withSubScope("normalize");
            Operand<TFloat32> x = norm.math.div(
                    norm.math.sub(norm.math.div(image, norm.constant(255f)), norm.constant(MEAN)), norm.constant(STD));
            Builder builder = new Builder(tf);
            Operand<TFloat32> heatmaps =
                    tf.withName(ModelContract.HEATMAPS).identity(HrnetTopology.forward(spec.arch(), builder, x));
            Signature signature = Signature.builder()
                    .key(ModelContract.SIGNATURE_KEY)
                    .input(ModelContract.INPUT, image)
                    .output(ModelContract.HEATMAPS, heatmaps)
                    .build();
            if (!builder.slots.stream().map(Slot::weight).toList().equals(spec.weights())) {
                throw new IllegalStateException("HRNet graph variables differ from the weight table of " + spec.arch());
            }
            Session session = new Session(graph, settings.toConfigProto());
            return new HrnetGraph(spec, graph, session, signature, builder.slots);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /** Assigns every variable its value (PyTorch layout converted to TF's). */
    public void load(HrnetWeights weights) {
        for (int from = 0; from < slots.size(); from += LOAD_CHUNK) {
            List<TFloat32> tensors = new ArrayList<>();
            try {
                Session.Runner runner = session.runner();
                for (Slot slot : slots.subList(from, Math.min(slots.size(), from + LOAD_CHUNK))) {
                    TFloat32 t = tensorOf(slot.weight, weights.get(slot.weight.name()));
                    tensors.add(t);
                    runner.feed(slot.feed, t).addTarget(slot.assign);
                }
                runner.run();
            } finally {
                tensors.forEach(TFloat32::close);
            }
        }
    }

    /** A tensor in TF layout: convolution kernels go from PyTorch's [out, in, kh, kw] to [kh, kw, in, out]. */
    private static TFloat32 tensorOf(StateDictTensor w, float[] values) {
        long[] s = w.shape();
        if (w.role() != StateDictTensor.Role.CONV_WEIGHT) {
            return TFloat32.tensorOf(Shape.of(s), DataBuffers.of(values, true, false));
        }
        int out = (int) s[0];
        int in = (int) s[1];
        int kh = (int) s[2];
        int kw = (int) s[3];
        float[] hwio = new float[values.length];
        int src = 0;
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        hwio[((y * kw + x) * in + i) * out + o] = values[src++];
                    }
                }
            }
        }
        return TFloat32.tensorOf(Shape.of(kh, kw, in, out), DataBuffers.of(hwio, true, false));
    }

    public HrnetSpec spec() {
        return spec;
    }

    public Graph graph() {
        return graph;
    }

    public Session session() {
        return session;
    }

    /** {@code serving_default}: {@code image} [N,H,W,3] in, {@code heatmaps} [N,H/4,W/4,17] out. */
    public Signature signature() {
        return signature;
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }

    /** Builds graph ops for each layer; the variables it creates are the slots the weights are loaded into. */
    private static final class Builder implements HrnetLayers<Operand<TFloat32>> {
        private final Ops tf;
        private final Ops load;
        final List<Slot> slots = new ArrayList<>();

        Builder(Ops tf) {
            this.tf = tf;
            this.load = tf.withSubScope("load");
        }

        private Variable<TFloat32> variable(String name, long[] tfShape, StateDictTensor.Role role, long[] torchShape) {
            Variable<TFloat32> v = tf.withName(name).variable(Shape.of(tfShape), TFloat32.class);
            Placeholder<TFloat32> feed =
                    load.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(tfShape)));
            Assign<TFloat32> assign = load.withName(name + ".assign").assign(v, feed);
            slots.add(new Slot(new StateDictTensor(name, torchShape, role), feed, assign));
            return v;
        }

        @Override
        public Operand<TFloat32> conv(
                String name, Operand<TFloat32> x, int in, int out, int kernel, int stride, boolean bias) {
            Variable<TFloat32> w = variable(
                    name + ".weight",
                    new long[] {kernel, kernel, in, out},
                    StateDictTensor.Role.CONV_WEIGHT,
                    new long[] {out, in, kernel, kernel});
            List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
            long pad = kernel / 2;
            Operand<TFloat32> y = pad == 0
                    ? tf.withName(name).nn.conv2d(x, w, strides, "VALID")
                    : tf.withName(name)
                            .nn
                            .conv2d(
                                    x,
                                    w,
                                    strides,
                                    "EXPLICIT",
                                    Conv2d.explicitPaddings(0L, 0L, pad, pad, pad, pad, 0L, 0L));
            if (bias) {
                Variable<TFloat32> b =
                        variable(name + ".bias", new long[] {out}, StateDictTensor.Role.CONV_BIAS, new long[] {out});
                y = tf.withName(name + "_bias").nn.biasAdd(y, b);
            }
            return y;
        }

        @Override
        public Operand<TFloat32> batchNorm(String name, Operand<TFloat32> x, int channels) {
            long[] s = {channels};
            Variable<TFloat32> gamma = variable(name + ".weight", s, StateDictTensor.Role.BN_WEIGHT, s);
            Variable<TFloat32> beta = variable(name + ".bias", s, StateDictTensor.Role.BN_BIAS, s);
            Variable<TFloat32> mean = variable(name + ".running_mean", s, StateDictTensor.Role.BN_RUNNING_MEAN, s);
            Variable<TFloat32> var = variable(name + ".running_var", s, StateDictTensor.Role.BN_RUNNING_VAR, s);
            return tf.withName(name)
                    .nn
                    .fusedBatchNorm(
                            x,
                            gamma,
                            beta,
                            mean,
                            var,
                            FusedBatchNorm.epsilon(BN_EPSILON),
                            FusedBatchNorm.isTraining(false),
                            FusedBatchNorm.dataFormat("NHWC"))
                    .y();
        }

        @Override
        public Operand<TFloat32> relu(Operand<TFloat32> x) {
            return tf.nn.relu(x);
        }

        @Override
        public Operand<TFloat32> add(Operand<TFloat32> a, Operand<TFloat32> b) {
            return tf.math.add(a, b);
        }

        @Override
        public Operand<TFloat32> upsample(Operand<TFloat32> x, int factor) {
            Shape s = x.shape();
            int h = Math.toIntExact(s.get(1)) * factor;
            int w = Math.toIntExact(s.get(2)) * factor;
            // align_corners=false, half_pixel_centers=false: source = floor(dst / factor), PyTorch's 'nearest'.
            return tf.image.resizeNearestNeighbor(x, tf.constant(new int[] {h, w}));
        }
    }
}
