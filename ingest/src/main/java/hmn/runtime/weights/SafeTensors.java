package hmn.runtime.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hmn.core.BadInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the safetensors format: {@link #read} decodes F32, F64, F16 and BF16 tensors to float32 arrays
 * (integer tensors are skipped); {@link #map} maps every tensor's bytes from the file as they are.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The dtypes {@link #read} decodes to float32. */
    private static final Set<String> FLOATS = Set.of("F32", "F64", "F16", "BF16");

    private SafeTensors() {}

    /** One tensor's entry in a safetensors header: its dtype, shape and byte range in the file. */
    public record Entry(String name, String dtype, long[] shape, long offset, long bytes) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** A tensor whose bytes are mapped from the file (read-only, little-endian), not read into the heap. */
    public record Mapped(Entry entry, ByteBuffer data) {}

    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : entries(ch, file)) {
                if (!FLOATS.contains(e.dtype())) {
                    continue; // integer bookkeeping tensors, e.g. num_batches_tracked
                }
                ByteBuffer data = ByteBuffer.allocate((int) e.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                ch.position(e.offset());
                readFully(ch, data, file);
                data.flip();
                out.put(e.name(), new Tensor(e.shape(), decode(data, e.dtype(), (int) e.elements())));
            }
            return out;
        }
    }

    /**
     * Maps every tensor of the file, whatever its dtype, in the header's order: the operating system pages the
     * bytes in as they are used, so a large checkpoint costs no heap and is not read twice.
     */
    public static Map<String, Mapped> map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, Mapped> out = new LinkedHashMap<>();
            for (Entry e : entries(ch, file)) {
                ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, e.offset(), e.bytes())
                        .order(ByteOrder.LITTLE_ENDIAN);
                out.put(e.name(), new Mapped(e, data));
            }
            return out;
        }
    }

    /** The header's tensors with absolute file offsets, checked against the file's size. */
    static List<Entry> entries(FileChannel ch, Path file) throws IOException {
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        ch.position(0);
        readFully(ch, lenBuf, file);
        long headerLen = lenBuf.flip().getLong();
        if (headerLen <= 0 || headerLen > 100_000_000L || 8 + headerLen > ch.size()) {
            throw new BadInputException(file + ": not a safetensors file (bad header length " + headerLen + ")");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(ch, headerBuf, file);
        JsonNode header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
        long base = 8 + headerLen;
        List<Entry> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            String dtype = e.getValue().path("dtype").asText();
            JsonNode shapeNode = e.getValue().path("shape");
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong();
            }
            long begin = e.getValue().path("data_offsets").path(0).asLong(-1);
            long end = e.getValue().path("data_offsets").path(1).asLong(-1);
            Entry entry = new Entry(e.getKey(), dtype, shape, base + begin, end - begin);
            int size = elementSize(dtype);
            if (begin < 0 || (size > 0 && end - begin != entry.elements() * size) || base + end > ch.size()) {
                throw new BadInputException(file + ": tensor " + e.getKey() + " has inconsistent offsets; "
                        + "the file is truncated or corrupt, download it again");
            }
            out.add(entry);
        }
        return out;
    }

    /** Bytes per element of a safetensors dtype; 0 for one this reader does not know. */
    static int elementSize(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> 0;
        };
    }

    static float[] decode(ByteBuffer data, String dtype, int n) {
        float[] values = new float[n];
        switch (dtype) {
            case "F32" -> data.asFloatBuffer().get(values);
            case "F64" -> {
                for (int i = 0; i < n; i++) {
                    values[i] = (float) data.getDouble();
                }
            }
            case "BF16" -> {
                for (int i = 0; i < n; i++) {
                    values[i] = Float.intBitsToFloat((data.getShort() & 0xFFFF) << 16);
                }
            }
            case "F16" -> {
                for (int i = 0; i < n; i++) {
                    values[i] = halfToFloat(data.getShort());
                }
            }
            default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
        }
        return values;
    }

    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Writes float32 tensors in the given order. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = 4L * e.getValue().data().length;
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int pad = (8 - json.length % 8) % 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length + pad);
            out.write(len.array());
            out.write(json);
            out.write(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
            for (Tensor t : tensors.values()) {
                ByteBuffer buf = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(t.data());
                out.write(buf.array());
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, Path file) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new BadInputException(file + ": truncated safetensors file; download it again");
            }
        }
    }
}
