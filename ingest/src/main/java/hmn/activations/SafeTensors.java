package hmn.activations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hmn.cli.BadInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and writes the safetensors format (F32, F64, F16, BF16 read as float32; integer tensors are skipped). */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {}

    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, file);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > 100_000_000L || 8 + headerLen > ch.size()) {
                throw new BadInputException(file + ": not a safetensors file (bad header length " + headerLen + ")");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, file);
            JsonNode header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
            long base = 8 + headerLen;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                String dtype = e.getValue().get("dtype").asText();
                JsonNode shapeNode = e.getValue().get("shape");
                long[] shape = new long[shapeNode.size()];
                long n = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asLong();
                    n *= shape[i];
                }
                long begin = e.getValue().get("data_offsets").get(0).asLong();
                long end = e.getValue().get("data_offsets").get(1).asLong();
                int size = switch (dtype) {
                    case "F32" -> 4;
                    case "F64" -> 8;
                    case "F16", "BF16" -> 2;
                    default -> 0;
                };
                if (size == 0) {
                    continue; // integer bookkeeping tensors, e.g. num_batches_tracked
                }
                if (end - begin != n * size || base + end > ch.size()) {
                    throw new BadInputException(file + ": tensor " + e.getKey() + " has inconsistent offsets; "
                            + "the file is truncated or corrupt, download it again");
                }
                ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                ch.position(base + begin);
                readFully(ch, data, file);
                data.flip();
                out.put(e.getKey(), new Tensor(shape, decode(data, dtype, (int) n)));
            }
            return out;
        }
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
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length + pad);
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
