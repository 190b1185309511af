package io.posestream.models;

/** IEEE 754 binary16 (float16) values, as TFJS weights and PyTorch half storages hold them. */
public final class Float16 {
    private Float16() {}

    /** binary16 to binary32, subnormals, signed zeros, infinities and NaN included (Java 17 has no Float.float16ToFloat). */
    public static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13)); // inf or NaN
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign); // signed zero
            }
            float subnormal = mantissa * 0x1p-24f; // exact: 2^-14 * mantissa / 1024
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
