package io.posestream.inference.image;

/**
 * What an encoded image's header says about it, read without decoding a pixel: the format and the size. JPEG: the
 * first start-of-frame segment (any SOF type: baseline, progressive, lossless...). PNG: the IHDR chunk. Lets a worker
 * refuse an image whose pixels would not fit its memory before any decoder allocates them (a uniform 16000x16000
 * JPEG is 1.5 MB on the wire and 768 MB decoded).
 *
 * @param format "JPEG" or "PNG"
 * @param width  in pixels
 * @param height in pixels
 */
public record ImageHeader(String format, int width, int height) {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Pixels the decoded image has. */
    public long pixels() {
        return (long) width * height;
    }

    /**
     * Reads the header of a JPEG or PNG image.
     *
     * @throws UndecodableImageException when the bytes are neither, or end or go wrong before the size
     */
    public static ImageHeader read(byte[] image) {
        if (image == null || image.length == 0) {
            throw new UndecodableImageException("image is empty");
        }
        if (startsWith(image, PNG_SIGNATURE)) {
            return png(image);
        }
        if (image.length >= 2 && (image[0] & 0xff) == 0xff && (image[1] & 0xff) == 0xd8) {
            return jpeg(image);
        }
        throw new UndecodableImageException("not a JPEG or PNG: " + image.length + " bytes starting "
                + String.format("%02x %02x", image[0], image.length > 1 ? image[1] : 0));
    }

    private static ImageHeader png(byte[] image) {
        // Signature, then the first chunk, which must be IHDR: length (4), type (4), width (4), height (4).
        if (image.length < 24 || image[12] != 'I' || image[13] != 'H' || image[14] != 'D' || image[15] != 'R') {
            throw new UndecodableImageException("PNG without an IHDR chunk first (" + image.length + " bytes)");
        }
        long width = uint32(image, 16);
        long height = uint32(image, 20);
        if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new UndecodableImageException("PNG header gives an impossible size " + width + "x" + height);
        }
        return new ImageHeader("PNG", (int) width, (int) height);
    }

    private static ImageHeader jpeg(byte[] image) {
        int at = 2;
        while (true) {
            // Markers may be preceded by any number of 0xff fill bytes.
            if (at >= image.length || (image[at] & 0xff) != 0xff) {
                throw new UndecodableImageException("JPEG broken or truncated before its frame header (at byte " + at
                        + " of " + image.length + ")");
            }
            while (at < image.length && (image[at] & 0xff) == 0xff) {
                at++;
            }
            if (at >= image.length) {
                throw new UndecodableImageException("JPEG truncated before its frame header");
            }
            int marker = image[at++] & 0xff;
            if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                continue; // no length field
            }
            if (marker == 0xd9 || marker == 0xda) {
                throw new UndecodableImageException("JPEG has no frame header before its "
                        + (marker == 0xda ? "scan" : "end") + " (at byte " + at + ")");
            }
            if (at + 2 > image.length) {
                throw new UndecodableImageException("JPEG truncated in a segment header (at byte " + at + ")");
            }
            int length = uint16(image, at);
            if (length < 2) {
                throw new UndecodableImageException("JPEG segment with length " + length + " at byte " + at);
            }
            if (isStartOfFrame(marker)) {
                // Length (2), precision (1), height (2), width (2).
                if (length < 7 || at + 7 > image.length) {
                    throw new UndecodableImageException("JPEG frame header truncated (at byte " + at + ")");
                }
                int height = uint16(image, at + 3);
                int width = uint16(image, at + 5);
                if (width == 0 || height == 0) {
                    // Height 0 means "given later by a DNL marker": legal, rare, and not knowable here.
                    throw new UndecodableImageException("JPEG frame header gives a size of " + width + "x" + height
                            + " (a height defined later, by a DNL marker, is not supported)");
                }
                return new ImageHeader("JPEG", width, height);
            }
            at += length;
        }
    }

    /** SOF0..SOF15 except DHT (c4), JPG (c8) and DAC (cc), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int uint16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static long uint32(byte[] b, int at) {
        return (long) (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
