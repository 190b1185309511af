package io.posestream.models.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import io.posestream.models.savedmodel.ModelException;
import org.tensorflow.ndarray.Shape;

/**
 * One entry of a TFJS weights manifest: name, shape, dtype, and how it is stored (plain, float16, or affine
 * uint8/uint16 quantisation with {@code value = min + scale * q}).
 *
 * @param name         the Const node the weight belongs to
 * @param shape        its dimensions
 * @param dtype        the dtype the graph uses ({@code float32}, {@code int32}, {@code bool})
 * @param storedDtype  how it is stored: the same as dtype, or {@code float16}, {@code uint8}, {@code uint16}
 * @param scale        affine quantisation scale (uint8/uint16 only)
 * @param min          affine quantisation offset (uint8/uint16 only)
 */
public record ManifestWeight(String name, long[] shape, String dtype, String storedDtype, double scale, double min) {

    static ManifestWeight of(JsonNode spec) {
        String name = spec.path("name").asText();
        JsonNode dims = spec.path("shape");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).asLong();
        }
        String dtype = spec.path("dtype").asText();
        JsonNode quantization = spec.get("quantization");
        if (quantization == null) {
            return new ManifestWeight(name, shape, dtype, dtype, 1, 0);
        }
        String original = quantization.has("original_dtype")
                ? quantization.get("original_dtype").asText()
                : dtype;
        return new ManifestWeight(
                name,
                shape,
                original,
                quantization.path("dtype").asText(),
                quantization.path("scale").asDouble(1),
                quantization.path("min").asDouble(0));
    }

    /** Number of elements. */
    public long elements() {
        return Shape.of(shape).size();
    }

    /** Bytes the weight takes in the shard. */
    public int storedBytes() {
        return Math.toIntExact(elements() * bytesPerElement(storedDtype));
    }

    private int bytesPerElement(String type) {
        switch (type) {
            case "float32":
            case "int32":
                return 4;
            case "float16":
            case "uint16":
                return 2;
            case "uint8":
            case "bool":
                return 1;
            default:
                throw new ModelException("weight " + name + " is stored as " + type
                        + ", which the importer does not read (float32, int32, bool, float16, uint8, uint16)");
        }
    }
}
