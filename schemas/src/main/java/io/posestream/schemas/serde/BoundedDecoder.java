package io.posestream.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary decoder that refuses a length before allocating for it. Avro's own decoder allocates what a record
 * claims (a 20-byte record can claim a 2 GB string, and the reader dies of OutOfMemoryError before finding out it
 * lied); here no string, bytes value, array or map block may claim more than the record holds, and no string more
 * than {@code maxStringBytes}. Each allocation is then bounded by the record's size, itself bounded by the consumer's
 * fetch size. Arrays of zero-byte items (nulls, empty records) longer than the record is bytes are refused too: no
 * posestream schema has them.
 */
final class BoundedDecoder extends Decoder {
    private final BinaryDecoder in;
    private final int recordBytes;
    private final int maxStringBytes;

    /**
     * @param in             the binary decoder over the record's body
     * @param recordBytes    the size of that body
     * @param maxStringBytes the longest string accepted, in UTF-8 bytes
     */
    BoundedDecoder(BinaryDecoder in, int recordBytes, int maxStringBytes) {
        this.in = in;
        this.recordBytes = recordBytes;
        this.maxStringBytes = maxStringBytes;
    }

    /** A string or bytes length, checked; the wire format is a long followed by that many bytes. */
    private int length(String what, long limit, String limitName) throws IOException {
        long length = in.readLong();
        if (length < 0 || length > limit) {
            throw new AvroRuntimeException(what + " of " + length + " bytes in a record of " + recordBytes + " bytes"
                    + (length < 0 ? "" : " (limit " + limit + ", " + limitName + ")"));
        }
        return (int) length;
    }

    private int stringLength() throws IOException {
        return length(
                "a string",
                Math.min(recordBytes, maxStringBytes),
                maxStringBytes < recordBytes ? AvroSerdeConfig.MAX_STRING_BYTES : "the record's size");
    }

    private long count(String what, long count) {
        if (count > recordBytes) {
            throw new AvroRuntimeException(
                    what + " of " + count + " items in a record of " + recordBytes + " bytes (at most one a byte)");
        }
        return count;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = stringLength();
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        if (length > 0) {
            in.readFixed(result.getBytes(), 0, length);
        }
        return result;
    }

    @Override
    public String readString() throws IOException {
        int length = stringLength();
        byte[] bytes = new byte[length];
        in.readFixed(bytes, 0, length);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = length("a bytes value", recordBytes, "the record's size");
        ByteBuffer result = old != null && length <= old.capacity() ? old.clear() : ByteBuffer.allocate(length);
        in.readFixed(result.array(), result.position(), length);
        result.limit(length);
        return result;
    }

    @Override
    public long readArrayStart() throws IOException {
        return count("an array block", in.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return count("an array block", in.arrayNext());
    }

    @Override
    public long readMapStart() throws IOException {
        return count("a map block", in.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return count("a map block", in.mapNext());
    }

    // Skipping and fixed-size values allocate nothing the record decides.

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void skipString() throws IOException {
        in.skipString();
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipBytes();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
