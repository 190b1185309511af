package io.posestream.models.hrnet;

/**
 * The layer vocabulary HRNet is written in. {@link HrnetTopology} walks the network once through this interface;
 * one implementation collects the weight table and counts (from shapes alone), another builds the TensorFlow graph,
 * so the names and shapes of the weights and the graph can never disagree.
 *
 * @param <T> a feature map: shape only, or a graph operand
 */
interface HrnetLayers<T> {
    /** Convolution without groups; {@code name.weight} (and {@code name.bias}); 3x3 pads 1 on every side. */
    T conv(String name, T x, int in, int out, int kernel, int stride, boolean bias);

    /** Batch norm in inference form: {@code name.weight/bias/running_mean/running_var}, eps 1e-5. */
    T batchNorm(String name, T x, int channels);

    T relu(T x);

    T add(T a, T b);

    /** Nearest-neighbour upsampling by an integer factor. */
    T upsample(T x, int factor);
}
