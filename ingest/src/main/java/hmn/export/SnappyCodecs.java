package hmn.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet's Snappy page codec on snappy-java, without Hadoop: parquet-java's own codec factory builds a Hadoop
 * {@code Configuration} for any codec but "uncompressed", and the Hadoop jar Neo4j brings cannot (it lacks the XML
 * parser Hadoop's configuration needs). Parquet's Snappy pages are raw Snappy blocks, which is what {@link Snappy}
 * writes and reads.
 */
public final class SnappyCodecs implements CompressionCodecFactory {
    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        requireSnappy(codec);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return BytesInput.from(Snappy.compress(bytes.toByteArray()));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return CompressionCodecName.SNAPPY;
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        requireSnappy(codec);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                byte[] out = new byte[uncompressedSize];
                byte[] in = bytes.toByteArray();
                int n = Snappy.uncompress(in, 0, in.length, out, 0);
                if (n != uncompressedSize) {
                    throw new IOException("a Snappy page holds " + n + " bytes, not " + uncompressedSize);
                }
                return BytesInput.from(out);
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(decompress(BytesInput.from(in), uncompressedSize).toByteBuffer());
            }

            @Override
            public void release() {}
        };
    }

    @Override
    public void release() {}

    private static void requireSnappy(CompressionCodecName codec) {
        if (codec != CompressionCodecName.SNAPPY) {
            throw new IllegalArgumentException("only Snappy pages are supported here, not " + codec);
        }
    }
}
