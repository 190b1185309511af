package io.posestream.bench;

import io.posestream.cli.ModelsDirOption;
import io.posestream.cli.SettingFlags;
import io.posestream.inference.worker.InferenceConfig;
import io.posestream.models.hrnet.HrnetArch;
import io.posestream.models.hrnet.HrnetGraph;
import io.posestream.models.hrnet.HrnetSpec;
import io.posestream.models.hrnet.HrnetWeights;
import io.posestream.models.hrnet.InputSize;
import io.posestream.models.info.GraphStats;
import io.posestream.models.pretrained.PretrainedModel;
import io.posestream.models.savedmodel.LoadedModel;
import io.posestream.models.savedmodel.ModelContract;
import io.posestream.models.savedmodel.ModelMetadata;
import io.posestream.models.savedmodel.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Pose and detector model throughput on this machine's CPU (or GPU build) next to the same machine's measured
 * convolution peak: crops (or images) per second at several batch sizes, the GFLOP/s that means (2 x MACs), and
 * the share of the peak a large 3x3 convolution reaches in TensorFlow in the same run. With several {@code --tf}
 * session settings (threads, XLA) each point is measured under each of them in turn, so they compare in one run.
 */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        modelTransformer = ModelBenchmark.Flags.class,
        description = {
            "HRNet-W32 256x192 (random init, built in memory), MoveNet-Thunder, MoveNet-Lightning and CenterNet "
                    + "(from `posestream model prepare`): items/s at each batch size, GFLOP/s (2 x MACs x rate), and "
                    + "the ratio to a large 3x3 convolution's GFLOP/s measured in the same run; optionally under "
                    + "several TensorFlow session settings (--tf)."
        })
final class ModelBenchmark implements Callable<Integer> {
    /** TensorFlow's threads, as the inference worker takes them; default and help from {@link InferenceConfig}. */
    static final SettingFlags FLAGS =
            SettingFlags.of(InferenceConfig.definition()).flag("--threads", InferenceConfig.INTRA_OP_THREADS);

    /** Adds {@link #FLAGS} to the command's options. */
    public static final class Flags extends SettingFlags.Transformer {
        public Flags() {
            super(FLAGS);
        }
    }

    private static final String HRNET = "hrnet-w32";

    @Spec
    CommandSpec command;

    @Option(
            names = "--batches",
            split = ",",
            defaultValue = "1,4,8,16",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(
            names = "--seconds",
            defaultValue = "3",
            description = "Least timed seconds per point, after one warm-up "
                    + "call; at least 2 timed calls (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--models",
            split = ",",
            defaultValue = HRNET + ",movenet-thunder,movenet-lightning,centernet",
            description = "Models to measure (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(
            names = "--tf",
            split = ",",
            paramLabel = "INTRA:INTER[:xla]",
            description = "TensorFlow session settings to compare, each intra-op threads:inter-op threads (0 = "
                    + "TensorFlow's choice), :xla added for XLA JIT (on a CPU it needs TF_XLA_FLAGS="
                    + "--tf_xla_cpu_global_jit in the environment). Default: --threads with 0 inter-op threads, "
                    + "as the worker runs.")
    List<String> tf;

    @Mixin
    ModelsDirOption modelsDir;

    /** One measured point. */
    private record Point(String model, String input, int batch, String tf, double rate, double msPerCall, long macs) {}

    private record Timing(int calls, double seconds) {
        double perCall() {
            return seconds / calls;
        }
    }

    @Override
    public Integer call() throws Exception {
        int threads = (Integer) FLAGS.values(command).get(InferenceConfig.INTRA_OP_THREADS);
        List<String> variants = tf == null || tf.isEmpty() ? List.of(threads + ":0") : tf;
        List<SessionSettings> sessions =
                variants.stream().map(ModelBenchmark::session).toList();
        System.out.println("bench model on " + MachineInfo.describe());
        System.out.println("TensorFlow session settings (intra:inter threads): " + variants + "; TF_XLA_FLAGS="
                + Objects.requireNonNullElse(System.getenv("TF_XLA_FLAGS"), "(unset)") + "; TF_ENABLE_ONEDNN_OPTS="
                + Objects.requireNonNullElse(System.getenv("TF_ENABLE_ONEDNN_OPTS"), "(unset: oneDNN on)"));
        // Measured before and after the models, the higher one counts: other load on the machine only lowers it.
        double peakBefore = convPeak(sessions.get(0));

        List<Point> points = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        if (models.contains(HRNET)) {
            HrnetSpec spec = HrnetSpec.of(HrnetArch.W32, new InputSize(256, 192));
            List<HrnetGraph> graphs = new ArrayList<>();
            try {
                for (SessionSettings session : sessions) {
                    HrnetGraph hrnet = HrnetGraph.build(spec, session);
                    graphs.add(hrnet);
                    hrnet.load(HrnetWeights.random(spec, 0));
                }
                measure(points, variants, HRNET + " (random init)", 256, 192, 0, spec.macs(), (v, image) -> {
                    try (Result r = graphs.get(v)
                            .session()
                            .runner()
                            .feed(ModelContract.INPUT, image)
                            .fetch(ModelContract.HEATMAPS)
                            .run()) {
                        r.size();
                    }
                });
            } finally {
                graphs.forEach(HrnetGraph::close);
            }
        }

        Path dir = modelsDir.resolve();
        for (PretrainedModel pretrained : PretrainedModel.all()) {
            String name = pretrained.dirName();
            Path model = dir.resolve(name);
            if (!models.contains(name)) {
                continue;
            }
            if (!Files.isDirectory(model)) {
                notes.add(name + ": not in " + dir + "; run `./posestream model prepare` first");
                continue;
            }
            List<LoadedModel> loaded = new ArrayList<>();
            try {
                for (SessionSettings session : sessions) {
                    loaded.add(LoadedModel.load(model, session));
                }
                ModelMetadata metadata = loaded.get(0).metadata();
                long macs = GraphStats.macs(loaded.get(0).graph());
                if (macs < 0) {
                    notes.add(name + ": MACs unknown (graph shapes not static)");
                }
                if (metadata.maxBatch() > 0 && batches.stream().anyMatch(b -> b > metadata.maxBatch())) {
                    notes.add(name + ": the graph takes at most " + metadata.maxBatch() + " image(s) per call; "
                            + "larger batches not measured");
                }
                measure(
                        points,
                        variants,
                        name,
                        metadata.inputHeight(),
                        metadata.inputWidth(),
                        metadata.maxBatch(),
                        macs,
                        (v, image) -> {
                            try (Result r = loaded.get(v).call(Map.of(ModelContract.INPUT, image))) {
                                r.size();
                            }
                        });
            } finally {
                loaded.forEach(LoadedModel::close);
            }
        }
        double peakAfter = convPeak(sessions.get(0));
        double peak = Math.max(peakBefore, peakAfter);
        System.out.printf(
                "conv peak: 3x3 conv 256->256 on [8,56,56,256] (SAME), session %s: %.1f GFLOP/s (before %.1f, "
                        + "after %.1f)%n%n",
                variants.get(0), peak, peakBefore, peakAfter);
        BenchTable table = new BenchTable(
                "model",
                "input",
                "batch",
                "tf intra:inter",
                "items/s",
                "ms/call",
                "GMAC/item",
                "GFLOP/s",
                "of conv peak");
        for (Point p : points) {
            boolean known = p.macs() > 0;
            double gflops = 2.0 * p.macs() * p.rate() / 1e9;
            table.row(
                    p.model(),
                    p.input(),
                    p.batch(),
                    p.tf(),
                    p.rate(),
                    p.msPerCall(),
                    known ? String.format("%.2f", p.macs() / 1e9) : "?",
                    known ? (Object) gflops : "?",
                    known ? String.format("%.0f%%", 100 * gflops / peak) : "?");
        }
        table.print(System.out);
        notes.forEach(n -> System.out.println("note: " + n));
        System.out.println("items/s and ms/call: the model call alone on a prepared input tensor. MACs per item count "
                + "convolutions and matrix products of the graph; GFLOP/s = 2 x MACs x items/s.");
        return 0;
    }

    /** {@code intra:inter[:xla]} as session settings. */
    static SessionSettings session(String variant) {
        String[] parts = variant.split(":");
        try {
            if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].equals("xla"))) {
                throw new IllegalArgumentException("malformed");
            }
            return new SessionSettings(
                    Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), true, false, parts.length == 3);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--tf takes INTRA:INTER or INTRA:INTER:xla (thread counts, 0 = TensorFlow's choice), got "
                            + variant);
        }
    }

    private void measure(
            List<Point> points,
            List<String> variants,
            String name,
            int h,
            int w,
            int maxBatch,
            long macs,
            BiConsumer<Integer, Tensor> run) {
        Random random = new Random(1);
        for (int batch : batches) {
            if (maxBatch > 0 && batch > maxBatch) {
                continue;
            }
            float[] pixels = new float[batch * h * w * 3];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextInt(256);
            }
            try (TFloat32 image = TFloat32.tensorOf(Shape.of(batch, h, w, 3), DataBuffers.of(pixels, true, false))) {
                for (int v = 0; v < variants.size(); v++) {
                    int variant = v;
                    Timing t = time(() -> run.accept(variant, image));
                    points.add(new Point(
                            name, h + "x" + w, batch, variants.get(v), batch / t.perCall(), t.perCall() * 1e3, macs));
                }
            }
        }
    }

    /** One warm-up call, then calls until {@link #seconds} have passed and at least two were timed. */
    private Timing time(Runnable call) {
        call.run();
        int calls = 0;
        long start = System.nanoTime();
        double elapsed;
        do {
            call.run();
            calls++;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < seconds || calls < 2);
        return new Timing(calls, elapsed);
    }

    /** GFLOP/s of a large 3x3 convolution, the best case for TensorFlow's CPU kernels on this machine. */
    private double convPeak(SessionSettings settings) {
        int n = 8;
        int hw = 56;
        int c = 256;
        Random random = new Random(2);
        float[] kernel = new float[9 * c * c];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (float) random.nextGaussian() * 0.02f;
        }
        float[] input = new float[n * hw * hw * c];
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat();
        }
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x =
                    tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, hw, hw, c)));
            Operand<TFloat32> k = tf.constant(Shape.of(3, 3, c, c), DataBuffers.of(kernel, true, false));
            Operand<TFloat32> y = tf.withName("y").nn.conv2d(x, k, List.of(1L, 1L, 1L, 1L), "SAME");
            try (Session session = new Session(graph, settings.toConfigProto());
                    TFloat32 in = TFloat32.tensorOf(Shape.of(n, hw, hw, c), DataBuffers.of(input, true, false))) {
                Timing t = time(() -> {
                    try (Result r = session.runner().feed(x, in).fetch(y).run()) {
                        r.size();
                    }
                });
                double macs = (double) n * hw * hw * c * c * 9;
                return 2 * macs / t.perCall() / 1e9;
            }
        }
    }
}
