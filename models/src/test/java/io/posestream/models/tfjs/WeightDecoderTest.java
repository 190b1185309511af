package io.posestream.models.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import io.posestream.models.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

class WeightDecoderTest {

    @Test
    void float16DecodesLikeIeee754() {
        assertThat(Float16.toFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(Float16.toFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(Float16.toFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(Float16.toFloat((short) 0x2004)).isEqualTo(0.0078430176f); // MoveNet's 1/127.5
        assertThat(Float16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f); // smallest subnormal
        assertThat(Float16.toFloat((short) 0x83ff)).isEqualTo(-1023 * 0x1p-24f);
        assertThat(Float16.toFloat((short) 0x8000)).isEqualTo(-0.0f);
        assertThat(Float16.toFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Float16.toFloat((short) 0x7e00)).isNaN();
    }

    @Test
    void affineUint8AndFloat16WeightsBecomeFloat32() {
        byte[] buffer = {0, 10, (byte) 255};
        TensorProto q =
                WeightDecoder.decode(new ManifestWeight("w", new long[] {3}, "float32", "uint8", 0.5, -1.0), buffer, 0);
        assertThat(q.getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(floats(q)).containsExactly(-1.0f, 4.0f, 126.5f);

        ByteBuffer half = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        half.putShort((short) 0).putShort((short) 0x3c00).putShort((short) 0xbc00);
        TensorProto h = WeightDecoder.decode(
                new ManifestWeight("h", new long[] {1, 3}, "float32", "float16", 1, 0), half.array(), 0);
        assertThat(h.getTensorShape().getDimList()).hasSize(2);
        assertThat(floats(h)).containsExactly(0f, 1f, -1f);
    }

    @Test
    void quantisedIntegersAreRounded() {
        byte[] buffer = {3};
        TensorProto q =
                WeightDecoder.decode(new ManifestWeight("i", new long[] {1}, "int32", "uint8", 0.9, 0), buffer, 0);
        assertThat(q.getDtype()).isEqualTo(DataType.DT_INT32);
        assertThat(q.getTensorContent()
                        .asReadOnlyByteBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getInt())
                .isEqualTo(3);
    }

    private static float[] floats(TensorProto t) {
        ByteBuffer b = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
