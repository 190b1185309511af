package io.posestream.models.torch;

import java.util.Arrays;
import org.tensorflow.ndarray.Shape;

/**
 * A tensor of a checkpoint: a view of a {@link TorchStorage} with a storage offset, sizes and strides (in
 * elements), as {@code torch._utils._rebuild_tensor_v2} describes it.
 */
public final class TorchTensor {
    private final TorchStorage storage;
    private final long offset;
    private final long[] shape;
    private final long[] stride;

    TorchTensor(TorchStorage storage, long offset, long[] shape, long[] stride) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape.clone();
        this.stride = stride.clone();
    }

    public long[] shape() {
        return shape.clone();
    }

    public TorchStorage.Type type() {
        return storage.type();
    }

    public long elements() {
        return Shape.of(shape).size();
    }

    private boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /**
     * The values in row-major order of {@link #shape()}, gathered through offset and strides and converted to
     * float32.
     *
     * @param name the tensor's key, for the error message
     * @throws CheckpointException if the tensor is not floating point or its view reaches past its storage
     */
    public float[] toFloatArray(String name) {
        if (!storage.isFloatingPoint()) {
            throw new CheckpointException(
                    "tensor " + name + " is a " + storage.type().pythonName() + ", not a floating-point tensor");
        }
        long last = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) {
                return new float[0];
            }
            last += (shape[i] - 1) * stride[i];
        }
        if (offset < 0 || last >= storage.elements()) {
            throw new CheckpointException("tensor " + name + " " + Arrays.toString(shape) + " at storage offset "
                    + offset + " with strides " + Arrays.toString(stride) + " reaches element " + last
                    + " of storage " + storage.key() + ", which has only " + storage.elements() + " elements");
        }
        float[] out = new float[Math.toIntExact(elements())];
        if (isContiguous() && storage.type() == TorchStorage.Type.FLOAT) {
            storage.copyFloats(offset, out);
            return out;
        }
        long[] index = new long[shape.length];
        long at = offset;
        for (int i = 0; i < out.length; i++) {
            out[i] = storage.floatAt(at);
            // Odometer over the indices, moving the storage position by the strides.
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    at += stride[d];
                    break;
                }
                at -= (shape[d] - 1) * stride[d];
                index[d] = 0;
            }
        }
        return out;
    }
}
