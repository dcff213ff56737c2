package dev.allocation.adapters.redis;

import io.lettuce.core.codec.RedisCodec;
import java.nio.ByteBuffer;

/**
 * Keys and values as the bytes Redis holds, never decoded: what a consumer must check before it takes
 * them as text, and keep unchanged when it sets them aside. Unlike Lettuce's {@code ByteArrayCodec}, every
 * key read is an array of its own, even an empty one, so that a stream entry's body (a map keyed by
 * array identity) keeps each of its fields, two of one name or two empty names included.
 */
final class RawBytesCodec implements RedisCodec<byte[], byte[]> {

    static final RawBytesCodec INSTANCE = new RawBytesCodec();

    private RawBytesCodec() {
    }

    @Override
    public byte[] decodeKey(ByteBuffer bytes) {
        return copy(bytes);
    }

    @Override
    public byte[] decodeValue(ByteBuffer bytes) {
        return copy(bytes);
    }

    @Override
    public ByteBuffer encodeKey(byte[] key) {
        return ByteBuffer.wrap(key);
    }

    @Override
    public ByteBuffer encodeValue(byte[] value) {
        return ByteBuffer.wrap(value);
    }

    private static byte[] copy(ByteBuffer bytes) {
        if (bytes == null) {
            return new byte[0];
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return copy;
    }
}
