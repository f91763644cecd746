package hmn.io;

import hmn.core.BadInputException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files holding 2-D matrices (format versions 1, 2 and 3).
 *
 * <p>Reading accepts little- or big-endian float32 and float64 in C order and returns float32; anything else
 * (another dtype, Fortran order, not 2-D, truncated data) is a {@link BadInputException} naming the file and the fix.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** The parsed header of an .npy file. {@code dataOffset} is where the array's bytes begin. */
    public record Header(String descr, boolean fortranOrder, long[] shape, long dataOffset) {
        public int itemSize() {
            return Integer.parseInt(descr.substring(2));
        }

        public ByteOrder byteOrder() {
            return descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }
    }

    public static Header readHeader(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return parseHeader(file, new DataInputStream(in));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file; check the path");
        } catch (EOFException e) {
            throw new BadInputException(file + ": truncated .npy header; re-export the array with numpy.save");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + "); check permissions");
        }
    }

    /** Reads a 2-D float32 or float64 C-order array as float32. */
    public static FloatMatrix read(Path file) {
        Header header = readHeader(file);
        String descr = header.descr();
        if (!descr.matches("[<>|=]f[48]")) {
            throw new BadInputException(file + ": dtype '" + descr + "' is not supported; save as float32 or float64"
                    + " (numpy: x.astype('float32'))");
        }
        if (header.fortranOrder()) {
            throw new BadInputException(file + ": array is in Fortran order; save it in C order"
                    + " (numpy: np.save(f, np.ascontiguousarray(x)))");
        }
        if (header.shape().length != 2) {
            throw new BadInputException(file + ": array has " + header.shape().length
                    + " dimensions, expected 2 (N x D); reshape it to 2-D before saving");
        }
        long rows = header.shape()[0];
        long cols = header.shape()[1];
        if (rows == 0 || cols == 0) {
            throw new BadInputException(file + ": array is empty (shape " + rows + " x " + cols
                    + "); it needs at least one row and one column");
        }
        if (rows * cols > Integer.MAX_VALUE - 8) {
            throw new BadInputException(file + ": array of " + rows + " x " + cols + " is too large for one matrix");
        }
        int n = (int) (rows * cols);
        int itemSize = header.itemSize();
        float[] data = new float[n];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long expected = header.dataOffset() + (long) n * itemSize;
            if (ch.size() < expected) {
                throw new BadInputException(file + ": truncated: shape " + rows + " x " + cols + " needs " + expected
                        + " bytes, file has " + ch.size() + "; re-export the array");
            }
            ch.position(header.dataOffset());
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(header.byteOrder());
            int filled = 0;
            while (filled < n) {
                buf.clear();
                int want = (int) Math.min(buf.capacity() / itemSize, n - filled) * itemSize;
                buf.limit(want);
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new BadInputException(file + ": truncated data; re-export the array");
                    }
                }
                buf.flip();
                if (itemSize == 4) {
                    int count = want / 4;
                    buf.asFloatBuffer().get(data, filled, count);
                    filled += count;
                } else {
                    while (buf.hasRemaining()) {
                        data[filled++] = (float) buf.getDouble();
                    }
                }
            }
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + "); check permissions");
        }
        return new FloatMatrix((int) rows, (int) cols, data);
    }

    /** Writes a float32 C-order 2-D array, atomically (a temporary file renamed into place). */
    public static void write(Path file, FloatMatrix matrix) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(header("<f4", matrix.rows(), matrix.cols()));
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : matrix.data()) {
                if (!buf.hasRemaining()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(v);
            }
            out.write(buf.array(), 0, buf.position());
        }
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A version-1 header for a C-order 2-D array, padded so the data starts at a multiple of 64 bytes. The shape is
     * written with fixed-width padding so that a streaming writer can rewrite the row count in place.
     */
    public static byte[] header(String descr, long rows, long cols) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        return header(descr, rows, cols, ((unpadded + 32 + 63) / 64) * 64); // room for the row count to grow
    }

    /**
     * As {@link #header(String, long, long)}, padded to exactly {@code total} bytes (a multiple of 64), so that a
     * streaming writer can rewrite the row count in place whatever its number of digits.
     */
    public static byte[] header(String descr, long rows, long cols, int total) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        if (total % 64 != 0 || MAGIC.length + 4 + dict.length() + 1 > total) {
            throw new IllegalArgumentException("header of " + total + " bytes cannot hold " + dict);
        }
        StringBuilder sb = new StringBuilder(dict);
        while (MAGIC.length + 4 + sb.length() + 1 < total) {
            sb.append(' ');
        }
        sb.append('\n');
        byte[] dictBytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + dictBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC)
                .put((byte) 1)
                .put((byte) 0)
                .putShort((short) dictBytes.length)
                .put(dictBytes);
        return b.array();
    }

    private static Header parseHeader(Path file, DataInputStream in) throws IOException {
        byte[] magic = new byte[6];
        in.readFully(magic);
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new BadInputException(file + ": not a .npy file (bad magic); write it with numpy.save");
            }
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        long headerLen;
        long prefix;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            prefix = 10;
        } else if (major == 2 || major == 3) {
            headerLen = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            prefix = 12;
        } else {
            throw new BadInputException(file + ": unsupported .npy format version " + major + "; save with numpy.save");
        }
        byte[] dictBytes = new byte[(int) headerLen];
        in.readFully(dictBytes);
        String dict = new String(dictBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new BadInputException(file + ": malformed .npy header '" + dict.strip() + "'; save with numpy.save");
        }
        String[] parts = shape.group(1).split(",");
        long[] dims = java.util.Arrays.stream(parts)
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong)
                .toArray();
        return new Header(descr.group(1), fortran.group(1).equals("True"), dims, prefix + headerLen);
    }
}
