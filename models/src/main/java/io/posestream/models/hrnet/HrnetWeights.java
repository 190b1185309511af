package io.posestream.models.hrnet;

import io.posestream.models.torch.CheckpointException;
import io.posestream.models.torch.TorchTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Values for every tensor of an {@link HrnetSpec}, in PyTorch layout (row-major over the official shape), from an
 * official-format checkpoint or from a seeded random initialisation.
 */
public final class HrnetWeights {
    /** How many names of each kind of problem an error message lists before it only counts. */
    private static final int LISTED = 20;

    private final Map<String, float[]> values;
    private final String source;
    private final boolean pretrained;

    private HrnetWeights(Map<String, float[]> values, String source, boolean pretrained) {
        this.values = Collections.unmodifiableMap(values);
        this.source = source;
        this.pretrained = pretrained;
    }

    /**
     * Takes the weights from a checkpoint's state_dict, which must hold exactly the spec's tensors with its shapes.
     *
     * @throws CheckpointException listing the width mismatch, missing and unexpected keys and wrong shapes
     */
    public static HrnetWeights fromCheckpoint(HrnetSpec spec, Map<String, TorchTensor> state, Path file) {
        List<String> missing = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();
        for (StateDictTensor w : spec.weights()) {
            TorchTensor t = state.get(w.name());
            if (t == null) {
                missing.add(w.name());
            } else if (!Arrays.equals(t.shape(), w.shape())) {
                wrongShape.add(w.name() + " is " + Arrays.toString(t.shape()) + ", expected " + w.shapeText());
            }
        }
        List<String> unexpected = state.keySet().stream()
                .filter(k -> !spec.byName().containsKey(k))
                .toList();
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
            StringBuilder sb = new StringBuilder("Checkpoint ")
                    .append(file)
                    .append(" does not fit ")
                    .append(spec.arch().id())
                    .append(" (")
                    .append(state.size())
                    .append(" tensors, expected ")
                    .append(spec.weights().size())
                    .append("); no model was written:");
            widthHint(spec, state).ifPresent(h -> sb.append("\n  ").append(h));
            list(sb, "missing keys", missing);
            list(sb, "unexpected keys", unexpected);
            list(sb, "wrong shapes", wrongShape);
            throw new CheckpointException(sb.toString());
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        for (StateDictTensor w : spec.weights()) {
            try {
                values.put(w.name(), state.get(w.name()).toFloatArray(w.name()));
            } catch (CheckpointException e) {
                throw new CheckpointException(
                        "Checkpoint " + file + ": " + e.getMessage() + "; no model was written", e);
            }
        }
        return new HrnetWeights(values, "checkpoint " + file.toAbsolutePath().normalize(), true);
    }

    /**
     * Seeded random weights: He-normal convolutions, zero biases, identity batch norm. The network then runs and
     * can be timed, but finds nothing.
     */
    public static HrnetWeights random(HrnetSpec spec, long seed) {
        Random random = new Random(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (StateDictTensor w : spec.weights()) {
            float[] v = new float[Math.toIntExact(w.elements())];
            switch (w.role()) {
                case CONV_WEIGHT -> {
                    long[] s = w.shape();
                    double std = Math.sqrt(2.0 / (s[1] * s[2] * s[3]));
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (random.nextGaussian() * std);
                    }
                }
                case BN_WEIGHT, BN_RUNNING_VAR -> Arrays.fill(v, 1f);
                default -> {
                    // zero: conv bias, BN shift, running mean
                }
            }
            values.put(w.name(), v);
        }
        return new HrnetWeights(
                values, "random init (seed " + seed + "): NOT PRETRAINED, heatmaps mean nothing", false);
    }

    /** The values of tensor {@code name} in PyTorch layout. */
    public float[] get(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no weight " + name);
        }
        return v;
    }

    /** Where the weights came from, for the model metadata. */
    public String source() {
        return source;
    }

    /** True when the weights came from a checkpoint. */
    public boolean pretrained() {
        return pretrained;
    }

    /** Names the checkpoint's width when it is another HRNet's, the most common mistake. */
    private static java.util.Optional<String> widthHint(HrnetSpec spec, Map<String, TorchTensor> state) {
        TorchTensor t = state.get("transition1.0.0.weight");
        if (t == null || t.shape().length != 4 || t.shape()[0] == spec.arch().width()) {
            return java.util.Optional.empty();
        }
        long width = t.shape()[0];
        String other = Arrays.stream(HrnetArch.values())
                .filter(a -> a.width() == width)
                .map(HrnetArch::id)
                .findFirst()
                .map(id -> "; use --arch " + id)
                .orElse("");
        return java.util.Optional.of(
                "wrong width: the checkpoint is an HRNet-W" + width + " (transition1.0.0.weight is "
                        + Arrays.toString(t.shape()) + "), but " + spec.arch().id() + " has width "
                        + spec.arch().width()
                        + other);
    }

    private static void list(StringBuilder sb, String what, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        sb.append("\n  ").append(what).append(" (").append(items.size()).append("):");
        items.subList(0, Math.min(LISTED, items.size()))
                .forEach(item -> sb.append("\n    ").append(item));
        if (items.size() > LISTED) {
            sb.append("\n    ... and ").append(items.size() - LISTED).append(" more");
        }
    }
}
