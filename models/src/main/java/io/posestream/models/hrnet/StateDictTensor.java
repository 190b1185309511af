package io.posestream.models.hrnet;

import java.util.Arrays;
import org.tensorflow.ndarray.Shape;

/**
 * One named tensor of the network as the official {@code state_dict} has it: its name, its PyTorch shape
 * (convolutions {@code [out, in, kh, kw]}) and its role.
 */
public record StateDictTensor(String name, long[] shape, Role role) {
    /** What a tensor is for; running statistics are buffers, not trainable parameters. */
    public enum Role {
        CONV_WEIGHT,
        CONV_BIAS,
        BN_WEIGHT,
        BN_BIAS,
        BN_RUNNING_MEAN,
        BN_RUNNING_VAR;

        public boolean trainable() {
            return this != BN_RUNNING_MEAN && this != BN_RUNNING_VAR;
        }
    }

    public StateDictTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elements() {
        return Shape.of(shape).size();
    }

    /** The shape as PyTorch prints it, e.g. {@code [32, 256, 3, 3]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateDictTensor w && name.equals(w.name) && Arrays.equals(shape, w.shape) && role == w.role;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + shapeText();
    }
}
