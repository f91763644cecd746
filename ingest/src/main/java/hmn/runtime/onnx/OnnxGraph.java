package hmn.runtime.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The few parts of an ONNX model file ({@code ModelProto}, protocol buffers) that the activation stage needs, read
 * and written without a protobuf library: the main graph's input, output and node-output (intermediate tensor)
 * names, and a copy of the model whose graph also returns chosen intermediate tensors. ONNX Runtime only returns
 * graph outputs; declaring an intermediate tensor as one more output (a {@code ValueInfoProto} holding only its name,
 * its type left to the runtime's inference) is how it becomes readable. A copy can also have one tensor ablated
 * ({@link #withAblation}). Subgraphs (inside If/Loop nodes) are not searched.
 */
final class OnnxGraph {
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int VALUE_INFO_NAME = 1;
    private static final int TENSOR_NAME = 8;
    private static final int LEN = 2;

    private final byte[] model;
    private final int graphStart;
    private final int graphEnd;
    private final int graphTagStart;
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final Set<String> intermediates = new LinkedHashSet<>();

    private OnnxGraph(byte[] model) {
        this.model = model;
        int[] graph = null;
        Reader r = new Reader(model, 0, model.length);
        while (r.more()) {
            int tagStart = r.pos;
            long tag = r.varint();
            if ((int) (tag >>> 3) == MODEL_GRAPH && (tag & 7) == LEN) {
                int length = (int) r.varint();
                graph = new int[] {tagStart, r.pos, r.pos + length};
                r.pos += length;
            } else {
                r.skip((int) (tag & 7));
            }
        }
        if (graph == null) {
            throw new IllegalArgumentException("no graph in the file (not an ONNX model?)");
        }
        this.graphTagStart = graph[0];
        this.graphStart = graph[1];
        this.graphEnd = graph[2];
        Set<String> initializers = new LinkedHashSet<>();
        Reader g = new Reader(model, graphStart, graphEnd);
        while (g.more()) {
            long tag = g.varint();
            int field = (int) (tag >>> 3);
            if ((tag & 7) != LEN) {
                g.skip((int) (tag & 7));
                continue;
            }
            int length = (int) g.varint();
            int start = g.pos;
            g.pos += length;
            switch (field) {
                case GRAPH_NODE -> intermediates.addAll(strings(start, start + length, NODE_OUTPUT));
                case GRAPH_INPUT -> inputs.addAll(strings(start, start + length, VALUE_INFO_NAME));
                case GRAPH_OUTPUT -> outputs.addAll(strings(start, start + length, VALUE_INFO_NAME));
                case GRAPH_INITIALIZER -> initializers.addAll(strings(start, start + length, TENSOR_NAME));
                default -> {}
            }
        }
        inputs.removeAll(initializers); // old exporters list initializers among the inputs
        intermediates.removeAll(outputs);
        intermediates.remove("");
    }

    /** Reads the graph's names from an ONNX model file's bytes; malformed data is an IllegalArgumentException. */
    static OnnxGraph parse(byte[] model) {
        try {
            return new OnnxGraph(model);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated or malformed protobuf data (not an ONNX model?)", e);
        }
    }

    /** The graph's inputs that are fed at run time (initializers left out). */
    List<String> inputs() {
        return List.copyOf(inputs);
    }

    /** The graph's outputs, in declared order. */
    List<String> outputs() {
        return List.copyOf(outputs);
    }

    /** The outputs of the main graph's nodes that are not graph outputs, in node order. */
    List<String> intermediates() {
        return List.copyOf(intermediates);
    }

    /** A copy of the model whose graph also outputs {@code extra} (intermediate tensor names). */
    byte[] withOutputs(List<String> extra) {
        ByteArrayOutputStream graph = new ByteArrayOutputStream(graphEnd - graphStart + 64 * extra.size());
        graph.write(model, graphStart, graphEnd - graphStart);
        for (String name : extra) {
            ByteArrayOutputStream info = new ByteArrayOutputStream();
            writeString(info, VALUE_INFO_NAME, name);
            writeVarint(graph, (GRAPH_OUTPUT << 3) | LEN);
            writeVarint(graph, info.size());
            graph.writeBytes(info.toByteArray());
        }
        return withGraph(graph);
    }

    /**
     * A copy of the model in which every node that reads {@code tensor} reads instead {@code tensor * keep + fill},
     * where {@code keep} and {@code fill} are two new float graph inputs of {@code rank} dimensions (N x C x 1 x 1
     * for a feature map, N x C for a vector), which broadcast over the rest: the ablation of a user's model at any
     * tensor of its main graph. The tensor itself, where it is a graph output, stays as computed.
     */
    byte[] withAblation(String tensor, String keep, String fill, int rank) {
        String ablated = tensor + "/hmn_ablated";
        String kept = tensor + "/hmn_kept";
        ByteArrayOutputStream graph = new ByteArrayOutputStream(graphEnd - graphStart + 256);
        boolean inserted = inputs.contains(tensor);
        if (inserted) {
            writeAblationNodes(graph, tensor, keep, fill, kept, ablated);
        }
        Reader g = new Reader(model, graphStart, graphEnd);
        while (g.more()) {
            int fieldStart = g.pos;
            long tag = g.varint();
            int field = (int) (tag >>> 3);
            if ((tag & 7) != LEN || field != GRAPH_NODE) {
                g.skip((int) (tag & 7));
                graph.write(model, fieldStart, g.pos - fieldStart);
                continue;
            }
            int length = (int) g.varint();
            int start = g.pos;
            g.pos += length;
            byte[] node = renamedInputs(start, start + length, tensor, ablated);
            writeVarint(graph, (GRAPH_NODE << 3) | LEN);
            writeVarint(graph, node.length);
            graph.writeBytes(node);
            if (!inserted && strings(start, start + length, NODE_OUTPUT).contains(tensor)) {
                writeAblationNodes(graph, tensor, keep, fill, kept, ablated);
                inserted = true;
            }
        }
        if (!inserted) {
            throw new IllegalArgumentException("no node of the main graph computes '" + tensor + "'");
        }
        for (String input : List.of(keep, fill)) {
            byte[] info = tensorValueInfo(input, rank);
            writeVarint(graph, (GRAPH_INPUT << 3) | LEN);
            writeVarint(graph, info.length);
            graph.writeBytes(info);
        }
        return withGraph(graph);
    }

    /** A copy of the model with {@code graph} (a GraphProto's fields) in place of its main graph. */
    private byte[] withGraph(ByteArrayOutputStream graph) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(model.length - (graphEnd - graphStart) + graph.size() + 16);
        out.write(model, 0, graphTagStart);
        writeVarint(out, (MODEL_GRAPH << 3) | LEN);
        writeVarint(out, graph.size());
        out.writeBytes(graph.toByteArray());
        out.write(model, graphEnd, model.length - graphEnd);
        return out.toByteArray();
    }

    /** A node message with every input named {@code from} renamed {@code to}; its other fields as they were. */
    private byte[] renamedInputs(int start, int end, String from, String to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(end - start + 32);
        Reader r = new Reader(model, start, end);
        while (r.more()) {
            int fieldStart = r.pos;
            long tag = r.varint();
            if ((int) (tag >>> 3) == NODE_INPUT && (tag & 7) == LEN) {
                int length = (int) r.varint();
                String name = new String(model, r.pos, length, StandardCharsets.UTF_8);
                r.pos += length;
                if (name.equals(from)) {
                    writeString(out, NODE_INPUT, to);
                    continue;
                }
            } else {
                r.skip((int) (tag & 7));
            }
            out.write(model, fieldStart, r.pos - fieldStart);
        }
        return out.toByteArray();
    }

    private static void writeAblationNodes(
            ByteArrayOutputStream graph, String tensor, String keep, String fill, String kept, String ablated) {
        for (byte[] node : List.of(node("Mul", tensor, keep, kept), node("Add", kept, fill, ablated))) {
            writeVarint(graph, (GRAPH_NODE << 3) | LEN);
            writeVarint(graph, node.length);
            graph.writeBytes(node);
        }
    }

    /** A NodeProto of {@code op} reading {@code a} and {@code b}, writing {@code out} (also its name). */
    private static byte[] node(String op, String a, String b, String out) {
        ByteArrayOutputStream node = new ByteArrayOutputStream();
        writeString(node, NODE_INPUT, a);
        writeString(node, NODE_INPUT, b);
        writeString(node, NODE_OUTPUT, out);
        writeString(node, NODE_NAME, out);
        writeString(node, NODE_OP_TYPE, op);
        return node.toByteArray();
    }

    /** A ValueInfoProto: a float tensor of {@code rank} dimensions, each named (sizes left to the runtime). */
    private static byte[] tensorValueInfo(String name, int rank) {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        for (int d = 0; d < rank; d++) {
            ByteArrayOutputStream dim = new ByteArrayOutputStream();
            writeString(dim, 2, name + "_d" + d); // Dimension.dim_param
            writeVarint(shape, (1 << 3) | LEN); // TensorShapeProto.dim
            writeVarint(shape, dim.size());
            shape.writeBytes(dim.toByteArray());
        }
        ByteArrayOutputStream tensorType = new ByteArrayOutputStream();
        writeVarint(tensorType, 1 << 3); // Tensor.elem_type
        writeVarint(tensorType, 1); // FLOAT
        writeVarint(tensorType, (2 << 3) | LEN); // Tensor.shape
        writeVarint(tensorType, shape.size());
        tensorType.writeBytes(shape.toByteArray());
        ByteArrayOutputStream type = new ByteArrayOutputStream();
        writeVarint(type, (1 << 3) | LEN); // TypeProto.tensor_type
        writeVarint(type, tensorType.size());
        type.writeBytes(tensorType.toByteArray());
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        writeString(info, VALUE_INFO_NAME, name);
        writeVarint(info, (2 << 3) | LEN); // ValueInfoProto.type
        writeVarint(info, type.size());
        info.writeBytes(type.toByteArray());
        return info.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, int field, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeVarint(out, ((long) field << 3) | LEN);
        writeVarint(out, utf8.length);
        out.writeBytes(utf8);
    }

    private List<String> strings(int start, int end, int wanted) {
        List<String> out = new ArrayList<>();
        Reader r = new Reader(model, start, end);
        while (r.more()) {
            long tag = r.varint();
            if ((int) (tag >>> 3) == wanted && (tag & 7) == LEN) {
                int length = (int) r.varint();
                out.add(new String(model, r.pos, length, StandardCharsets.UTF_8));
                r.pos += length;
            } else {
                r.skip((int) (tag & 7));
            }
        }
        return out;
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** A protobuf wire-format cursor over {@code [pos, end)}. */
    private static final class Reader {
        private final byte[] b;
        private final int end;
        int pos;

        Reader(byte[] b, int start, int end) {
            if (end > b.length || start > end) {
                throw new IndexOutOfBoundsException("field runs past the end of the data");
            }
            this.b = b;
            this.pos = start;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IndexOutOfBoundsException("varint runs past the end of its field");
                }
                byte x = b[pos++];
                value |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return value;
                }
            }
            throw new IndexOutOfBoundsException("varint longer than 10 bytes");
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    long length = varint();
                    if (length < 0 || length > end - pos) {
                        throw new IndexOutOfBoundsException("length-delimited field runs past the end");
                    }
                    pos += (int) length;
                }
                case 5 -> pos += 4;
                default -> throw new IndexOutOfBoundsException("unsupported wire type " + wireType);
            }
            if (pos > end) {
                throw new IndexOutOfBoundsException("field runs past the end");
            }
        }
    }
}
