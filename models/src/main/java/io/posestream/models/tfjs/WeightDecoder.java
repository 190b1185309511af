package io.posestream.models.tfjs;

import com.google.protobuf.ByteString;
import io.posestream.models.Float16;
import io.posestream.models.savedmodel.ModelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Turns the bytes of one TFJS weight into a TensorFlow {@link TensorProto} of its original dtype: float16 and
 * uint8/uint16-quantised weights are dequantised into float32 (or int32, rounded, where the original was int32)
 * exactly as TensorFlow.js does when it loads them.
 */
final class WeightDecoder {
    private WeightDecoder() {}

    static TensorProto decode(ManifestWeight weight, byte[] buffer, int offset) {
        int n = Math.toIntExact(weight.elements());
        ByteBuffer in = ByteBuffer.wrap(buffer, offset, weight.storedBytes()).order(ByteOrder.LITTLE_ENDIAN);
        DataType dtype = dataType(weight);
        ByteBuffer out =
                ByteBuffer.allocate(n * (dtype == DataType.DT_BOOL ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (weight.storedDtype()) {
                case "float32" -> out.putFloat(in.getFloat());
                case "int32" -> out.putInt(in.getInt());
                case "bool" -> out.put(in.get());
                case "float16" -> put(out, dtype, Float16.toFloat(in.getShort()));
                case "uint8" -> put(out, dtype, (float) (weight.min() + weight.scale() * (in.get() & 0xff)));
                case "uint16" -> put(out, dtype, (float) (weight.min() + weight.scale() * (in.getShort() & 0xffff)));
                default ->
                    throw new ModelException(
                            "weight " + weight.name() + ": unsupported storage " + weight.storedDtype());
            }
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : weight.shape()) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return TensorProto.newBuilder()
                .setDtype(dtype)
                .setTensorShape(shape)
                .setTensorContent(ByteString.copyFrom(out.array()))
                .build();
    }

    private static void put(ByteBuffer out, DataType dtype, float value) {
        if (dtype == DataType.DT_INT32) {
            out.putInt(Math.round(value));
        } else {
            out.putFloat(value);
        }
    }

    private static DataType dataType(ManifestWeight weight) {
        return switch (weight.dtype()) {
            case "float32" -> DataType.DT_FLOAT;
            case "int32" -> DataType.DT_INT32;
            case "bool" -> DataType.DT_BOOL;
            default ->
                throw new ModelException("weight " + weight.name() + " has dtype " + weight.dtype()
                        + ", which the importer does not support (float32, int32, bool)");
        };
    }
}
