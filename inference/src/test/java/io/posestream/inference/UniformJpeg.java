package io.posestream.inference;

import java.io.ByteArrayOutputStream;

/**
 * Real baseline JPEGs of one grey, of any size, written without holding their pixels: colour (Y, Cb, Cr at 4:2:0),
 * every 8x8 block only its DC coefficient 0 (mid grey, 128) and end-of-block, coded with one-symbol Huffman tables so
 * each block costs 2 bits. A 16000x16000 image is then 1.5 MB on the wire, as an attacker's would be, and 768 MB of
 * BGR once a decoder has it. Any JPEG decoder reads these (the tests decode a small one with OpenCV).
 */
public final class UniformJpeg {
    private UniformJpeg() {}

    /** A grey JPEG of {@code width x height} pixels (each at most 65535). */
    public static byte[] of(int width, int height) {
        if (width < 1 || height < 1 || width > 65535 || height > 65535) {
            throw new IllegalArgumentException("JPEG sizes are 1..65535, not " + width + "x" + height);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        marker(out, 0xd8); // SOI
        // DQT: table 0, 8-bit, all ones.
        segment(out, 0xdb, table((byte) 0x00, 64, (byte) 1));
        // SOF0: 8-bit precision, size, 3 components: Y sampled 2x2, Cb and Cr 1x1, all with quantisation table 0.
        segment(out, 0xc0, new byte[] {
            8,
            (byte) (height >> 8),
            (byte) height,
            (byte) (width >> 8),
            (byte) width,
            3,
            1,
            0x22,
            0,
            2,
            0x11,
            0,
            3,
            0x11,
            0
        });
        // DHT: DC table 0 with the one symbol 0 (difference category 0), AC table 0 with the one symbol EOB (0x00);
        // one code of length 1 each, so both are the bit '0'.
        segment(out, 0xc4, huffman((byte) 0x00));
        segment(out, 0xc4, huffman((byte) 0x10));
        // SOS: the three components, tables 0/0, spectral selection 0..63.
        segment(out, 0xda, new byte[] {3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0});
        long mcus = (long) ((width + 15) / 16) * ((height + 15) / 16);
        long bits = mcus * 6 * 2; // 4 Y + Cb + Cr blocks, DC '0' + EOB '0' each
        byte[] zeros = new byte[64 * 1024];
        long whole = bits / 8;
        for (long written = 0; written < whole; ) {
            int n = (int) Math.min(zeros.length, whole - written);
            out.write(zeros, 0, n);
            written += n;
        }
        int rest = (int) (bits % 8);
        if (rest > 0) {
            out.write(0xff >> rest); // the last bits are 0, padded with 1s as JPEG asks (never 0xff itself)
        }
        marker(out, 0xd9); // EOI
        return out.toByteArray();
    }

    private static byte[] table(byte id, int size, byte value) {
        byte[] t = new byte[1 + size];
        t[0] = id;
        java.util.Arrays.fill(t, 1, t.length, value);
        return t;
    }

    private static byte[] huffman(byte classAndId) {
        byte[] t = new byte[1 + 16 + 1];
        t[0] = classAndId;
        t[1] = 1; // one code of length 1
        t[17] = 0; // its symbol
        return t;
    }

    private static void marker(ByteArrayOutputStream out, int marker) {
        out.write(0xff);
        out.write(marker);
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] body) {
        marker(out, marker);
        int length = body.length + 2;
        out.write(length >> 8);
        out.write(length);
        out.write(body, 0, body.length);
    }
}
