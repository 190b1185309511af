package io.posestream.inference.model;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Float arrays in and out of TensorFlow tensors, in one place. */
final class Tensors {
    private Tensors() {}

    /** An image batch {@code [n,h,w,3]} over {@code n*h*w*3} values of {@code pixels} from {@code offset}. */
    static TFloat32 images(float[] pixels, int offset, int n, int h, int w) {
        long size = (long) n * h * w * 3;
        if (offset + size > pixels.length) {
            throw new IllegalArgumentException(
                    "pixel buffer holds " + pixels.length + " values, batch needs " + (offset + size));
        }
        return TFloat32.tensorOf(
                Shape.of(n, h, w, 3), DataBuffers.of(pixels, true, false).slice(offset, size));
    }

    static float[] read(TFloat32 tensor) {
        float[] values = new float[Math.toIntExact(tensor.size())];
        tensor.copyTo(DataBuffers.of(values, false, false));
        return values;
    }
}
