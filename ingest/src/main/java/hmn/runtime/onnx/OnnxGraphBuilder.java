package hmn.runtime.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes an ONNX model ({@code ModelProto}, protocol buffers) from nodes, float initializers, one float input and
 * float outputs, without a protobuf library: enough to hand ONNX Runtime a network built in Java. Dimensions are
 * numbers or names (a name is a symbolic dimension, such as the batch size). Names must be unique; a node may only
 * read the input, an initializer or an earlier node's output, which keeps the graph in the topological order ONNX
 * requires.
 */
public final class OnnxGraphBuilder {
    /** The ONNX IR version and default-domain opset written; ONNX Runtime 1.20 reads both. */
    static final int IR_VERSION = 7;

    static final int OPSET = 13;
    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private final String name;
    private final int opset;
    private final Set<String> defined = new LinkedHashSet<>();
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();

    /** One node attribute: an integer, a list of integers or a float (when {@code ints} is null). */
    public record Attribute(String name, long[] ints, boolean list, float real) {
        public static Attribute of(String name, long value) {
            return new Attribute(name, new long[] {value}, false, 0);
        }

        public static Attribute ints(String name, long... values) {
            return new Attribute(name, values.clone(), true, 0);
        }

        public static Attribute real(String name, float value) {
            return new Attribute(name, null, false, value);
        }
    }

    /** A graph of the default-domain opset {@value #OPSET}. */
    public OnnxGraphBuilder(String name) {
        this(name, OPSET);
    }

    public OnnxGraphBuilder(String name, int opset) {
        this.name = name;
        this.opset = opset;
    }

    /** Declares the float input {@code name} with {@code dims} (Long or String entries). */
    public OnnxGraphBuilder input(String name, Object... dims) {
        define(name);
        inputs.add(valueInfo(name, dims));
        return this;
    }

    /** Adds a float constant; returns its name. */
    public String initializer(String name, long[] dims, float[] values) {
        long size = 1;
        for (long d : dims) {
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for " + size + " elements");
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return constant(name, FLOAT, raw, dims);
    }

    /**
     * Declares a float constant whose values are not written into the model: the session receives them apart
     * ({@code SessionOptions.addExternalInitializers}), so a large network's weights are never serialised in the Java
     * heap. Returns its name.
     */
    public String externalInitializer(String name, long... dims) {
        Proto t = tensor(name, FLOAT, dims);
        Proto location = new Proto();
        location.stringField(1, "location");
        location.stringField(2, name);
        t.messageField(13, location);
        t.varintField(14, 1); // data_location: EXTERNAL
        initializers.add(t.bytes());
        return name;
    }

    /** Adds a one-dimensional int64 constant (shapes, pads, indices); returns its name. */
    public String longs(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return constant(name, INT64, raw, values.length);
    }

    /** Adds an int64 scalar constant (a Gather index that drops its axis); returns its name. */
    public String scalar(String name, long value) {
        return constant(
                name,
                INT64,
                ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value));
    }

    /** Adds a node computing {@code output} from {@code inputs}; returns {@code output}. */
    public String node(String opType, List<String> nodeInputs, String output, Attribute... attributes) {
        for (String in : nodeInputs) {
            if (!defined.contains(in)) {
                throw new IllegalArgumentException(opType + " -> " + output + " reads '" + in + "', not defined yet");
            }
        }
        define(output);
        Proto n = new Proto();
        for (String in : nodeInputs) {
            n.stringField(1, in);
        }
        n.stringField(2, output);
        n.stringField(3, output);
        n.stringField(4, opType);
        for (Attribute a : attributes) {
            Proto attribute = new Proto();
            attribute.stringField(1, a.name());
            if (a.ints() == null) {
                attribute.fixed32Field(2, a.real());
                attribute.varintField(20, 1); // FLOAT
            } else if (a.list()) {
                for (long v : a.ints()) {
                    attribute.varintField(8, v);
                }
                attribute.varintField(20, 7); // INTS
            } else {
                attribute.varintField(3, a.ints()[0]);
                attribute.varintField(20, 2); // INT
            }
            n.messageField(5, attribute);
        }
        nodes.add(n.bytes());
        return output;
    }

    /** Declares the defined value {@code name} a float graph output with {@code dims}. */
    public OnnxGraphBuilder output(String name, Object... dims) {
        if (!defined.contains(name)) {
            throw new IllegalArgumentException("output '" + name + "' is not computed by the graph");
        }
        outputs.add(valueInfo(name, dims));
        return this;
    }

    /** The serialised model. */
    public byte[] toModel() {
        Proto graph = new Proto();
        nodes.forEach(n -> graph.rawMessageField(1, n));
        graph.stringField(2, name);
        initializers.forEach(t -> graph.rawMessageField(5, t));
        inputs.forEach(i -> graph.rawMessageField(11, i));
        outputs.forEach(o -> graph.rawMessageField(12, o));
        Proto imported = new Proto();
        imported.stringField(1, "");
        imported.varintField(2, opset);
        Proto model = new Proto();
        model.varintField(1, IR_VERSION);
        model.stringField(2, "hmn");
        model.messageField(8, imported);
        model.messageField(7, graph);
        return model.bytes();
    }

    /** Adds a constant whose values are the bytes of {@code raw}'s backing array; returns its name. */
    private String constant(String name, int elementType, ByteBuffer raw, long... dims) {
        Proto t = tensor(name, elementType, dims);
        t.bytesField(9, raw.array());
        initializers.add(t.bytes());
        return name;
    }

    /** Defines {@code name} and starts its TensorProto: dimensions, element type, name; the caller adds the data. */
    private Proto tensor(String name, int elementType, long... dims) {
        define(name);
        Proto t = new Proto();
        for (long d : dims) {
            t.varintField(1, d);
        }
        t.varintField(2, elementType);
        t.stringField(8, name);
        return t;
    }

    private void define(String value) {
        if (!defined.add(value)) {
            throw new IllegalArgumentException("'" + value + "' is defined twice");
        }
    }

    private static byte[] valueInfo(String name, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            Proto dim = new Proto();
            if (d instanceof String symbol) {
                dim.stringField(2, symbol);
            } else {
                dim.varintField(1, ((Number) d).longValue());
            }
            shape.messageField(1, dim);
        }
        Proto tensorType = new Proto();
        tensorType.varintField(1, FLOAT);
        tensorType.messageField(2, shape);
        Proto type = new Proto();
        type.messageField(1, tensorType);
        Proto info = new Proto();
        info.stringField(1, name);
        info.messageField(2, type);
        return info.bytes();
    }

    /** The protobuf wire format: varint, 32-bit and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varintField(int field, long value) {
            varint((long) field << 3);
            varint(value);
        }

        void fixed32Field(int field, float value) {
            varint((long) field << 3 | 5);
            int bits = Float.floatToIntBits(value);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> 8 * i & 0xFF);
            }
        }

        void stringField(int field, String value) {
            bytesField(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void messageField(int field, Proto message) {
            bytesField(field, message.bytes());
        }

        void rawMessageField(int field, byte[] message) {
            bytesField(field, message);
        }

        void bytesField(int field, byte[] value) {
            varint((long) field << 3 | 2);
            varint(value.length);
            out.writeBytes(value);
        }

        private void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
