package io.posestream.models.torch;

import io.posestream.models.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One PyTorch storage: a flat little-endian array of one element type that tensors view with an offset, sizes and
 * strides. In the legacy format the bytes come after the pickle that references them, so they are set later.
 */
public final class TorchStorage {
    /** The storage classes {@code torch.save} names, with their element sizes. */
    public enum Type {
        FLOAT("FloatStorage", 4),
        DOUBLE("DoubleStorage", 8),
        HALF("HalfStorage", 2),
        BFLOAT16("BFloat16Storage", 2),
        LONG("LongStorage", 8),
        INT("IntStorage", 4),
        SHORT("ShortStorage", 2),
        CHAR("CharStorage", 1),
        BYTE("ByteStorage", 1),
        BOOL("BoolStorage", 1);

        final String pythonName;
        final int elementSize;

        Type(String pythonName, int elementSize) {
            this.pythonName = pythonName;
            this.elementSize = elementSize;
        }

        /** The type named {@code torch.<name>}, or null. */
        static Type of(String name) {
            return Arrays.stream(values())
                    .filter(t -> t.pythonName.equals(name))
                    .findFirst()
                    .orElse(null);
        }

        public String pythonName() {
            return pythonName;
        }
    }

    private final String key;
    private final Type type;
    private final long declaredElements;
    private ByteBuffer data;

    TorchStorage(String key, Type type, long declaredElements) {
        this.key = key;
        this.type = type;
        this.declaredElements = declaredElements;
    }

    void setData(byte[] bytes) {
        this.data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    /** Elements the pickle says the storage has (-1 when it did not say). */
    long declaredElements() {
        return declaredElements;
    }

    /** Elements actually present. */
    public long elements() {
        return data == null ? 0 : data.capacity() / type.elementSize;
    }

    /** Element {@code index} as a float; integer and half types are converted. */
    float floatAt(long index) {
        int i = Math.toIntExact(index);
        return switch (type) {
            case FLOAT -> data.getFloat(i * 4);
            case DOUBLE -> (float) data.getDouble(i * 8);
            case HALF -> Float16.toFloat(data.getShort(i * 2));
            case BFLOAT16 -> Float.intBitsToFloat((data.getShort(i * 2) & 0xffff) << 16);
            default -> throw new IllegalStateException(type + " is not a floating-point storage");
        };
    }

    /** Copies {@code out.length} float32 elements starting at element {@code from}. */
    void copyFloats(long from, float[] out) {
        data.asFloatBuffer().position(Math.toIntExact(from)).get(out);
    }

    boolean isFloatingPoint() {
        return type == Type.FLOAT || type == Type.DOUBLE || type == Type.HALF || type == Type.BFLOAT16;
    }
}
