package hmn.runtime.weights;

import hmn.core.BadInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch state dict saved by {@code torch.save} in the zip format (PyTorch 1.6 and later), such as
 * torchvision's published weights, without PyTorch: a small pickle interpreter that understands only what a state
 * dict contains (an OrderedDict of tensors rebuilt from storages). Floating-point tensors come back as float32;
 * integer ones (e.g. {@code num_batches_tracked}) are left out. Nothing in the file is executed.
 */
public final class TorchCheckpoint {
    private TorchCheckpoint() {}

    public static Map<String, Tensor> read(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = zip.stream()
                    .filter(e ->
                            e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
                    .findFirst()
                    .orElseThrow(() -> new BadInputException(file + ": no data.pkl inside; not a torch.save zip file"
                            + " (save it with torch.save(model.state_dict(), f) from PyTorch 1.6 or later)"));
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            byte[] program;
            try (InputStream in = zip.getInputStream(pickle)) {
                program = in.readAllBytes();
            }
            Object result = new Unpickler(program, key -> {
                        ZipEntry entry = zip.getEntry(prefix + "data/" + key);
                        if (entry == null) {
                            throw new BadInputException(
                                    file + ": storage data/" + key + " is missing; the file is corrupt");
                        }
                        try (InputStream in = zip.getInputStream(entry)) {
                            return in.readAllBytes();
                        }
                    })
                    .load();
            if (!(result instanceof Map<?, ?> map)) {
                throw new BadInputException(file + ": the pickle holds a "
                        + result.getClass().getSimpleName() + ", not a state dict; save model.state_dict()");
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() instanceof Tensor t) {
                    out.put(String.valueOf(e.getKey()), t);
                }
            }
            return out;
        } catch (java.util.zip.ZipException e) {
            throw new BadInputException(file + ": not a zip-format PyTorch checkpoint (" + e.getMessage()
                    + "); re-save it with torch.save from PyTorch 1.6 or later, or convert it to safetensors");
        }
    }

    interface StorageSource {
        byte[] bytes(String key) throws IOException;
    }

    private record Global(String module, String name) {}

    private record StorageRef(String type, String key) {}

    private record Call(Global callee, List<Object> args) {}

    private static final Object MARK = new Object();
    private static final Object NONE = new Object();

    /** The subset of the pickle protocol (0-5 opcodes) that state dicts use. */
    private static final class Unpickler {
        private final ByteBuffer in;
        private final StorageSource storages;
        private final Deque<Object> stack = new ArrayDeque<>();
        private final Map<Integer, Object> memo = new HashMap<>();
        private final Map<String, byte[]> loaded = new HashMap<>();

        Unpickler(byte[] program, StorageSource storages) {
            this.in = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
            this.storages = storages;
        }

        Object load() throws IOException {
            while (true) {
                int op = in.get() & 0xFF;
                switch (op) {
                    case 0x80 -> in.get(); // PROTO
                    case 0x95 -> in.getLong(); // FRAME
                    case '}' -> stack.push(new LinkedHashMap<Object, Object>());
                    case ']' -> stack.push(new ArrayList<Object>());
                    case ')' -> stack.push(List.of());
                    case '(' -> stack.push(MARK);
                    case 'N' -> stack.push(NONE);
                    case 0x88 -> stack.push(Boolean.TRUE);
                    case 0x89 -> stack.push(Boolean.FALSE);
                    case 'K' -> stack.push((long) (in.get() & 0xFF));
                    case 'M' -> stack.push((long) (in.getShort() & 0xFFFF));
                    case 'J' -> stack.push((long) in.getInt());
                    case 0x8a -> stack.push(long1(in.get() & 0xFF));
                    case 'G' -> stack.push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // big-endian
                    case 'X' -> stack.push(string(in.getInt()));
                    case 0x8c -> stack.push(string(in.get() & 0xFF));
                    case 'B' -> stack.push(bytes(in.getInt()));
                    case 'C' -> stack.push(bytes(in.get() & 0xFF));
                    case 'c' -> stack.push(new Global(line(), line()));
                    case 0x93 -> { // STACK_GLOBAL
                        String name = (String) stack.pop();
                        String module = (String) stack.pop();
                        stack.push(new Global(module, name));
                    }
                    case 'q' -> memo.put(in.get() & 0xFF, stack.peek());
                    case 'r' -> memo.put(in.getInt(), stack.peek());
                    case 0x94 -> memo.put(memo.size(), stack.peek());
                    case 'h' -> stack.push(memo.get(in.get() & 0xFF));
                    case 'j' -> stack.push(memo.get(in.getInt()));
                    case 't' -> stack.push(popToMark());
                    case 0x85 -> stack.push(List.of(stack.pop()));
                    case 0x86 -> {
                        Object b = stack.pop();
                        Object a = stack.pop();
                        stack.push(List.of(a, b));
                    }
                    case 0x87 -> {
                        Object c = stack.pop();
                        Object b = stack.pop();
                        Object a = stack.pop();
                        stack.push(List.of(a, b, c));
                    }
                    case 'Q' -> stack.push(persistent(stack.pop()));
                    case 'R' -> {
                        @SuppressWarnings("unchecked")
                        List<Object> args = (List<Object>) stack.pop();
                        Global callee = (Global) stack.pop();
                        stack.push(call(callee, args));
                    }
                    case 'b' -> stack.pop(); // BUILD: state (e.g. a state dict's _metadata) is not needed
                    case 's' -> {
                        Object value = stack.pop();
                        Object key = stack.pop();
                        asMap(stack.peek()).put(key, value);
                    }
                    case 'u' -> {
                        List<Object> items = popToMark();
                        Map<Object, Object> map = asMap(stack.peek());
                        for (int i = 0; i + 1 < items.size(); i += 2) {
                            map.put(items.get(i), items.get(i + 1));
                        }
                    }
                    case 'a' -> {
                        Object value = stack.pop();
                        asList(stack.peek()).add(value);
                    }
                    case 'e' -> {
                        List<Object> items = popToMark();
                        asList(stack.peek()).addAll(items);
                    }
                    case '.' -> {
                        return stack.pop();
                    }
                    default -> throw new BadInputException(String.format(
                            "unsupported pickle opcode 0x%02x at byte %d; this is not a plain state dict",
                            op, in.position() - 1));
                }
            }
        }

        @SuppressWarnings("unchecked")
        private static Map<Object, Object> asMap(Object o) {
            if (o instanceof Map<?, ?>) {
                return (Map<Object, Object>) o;
            }
            throw new BadInputException("unexpected pickle content: SETITEM on " + o);
        }

        @SuppressWarnings("unchecked")
        private static List<Object> asList(Object o) {
            if (o instanceof ArrayList<?>) {
                return (List<Object>) o;
            }
            throw new BadInputException("unexpected pickle content: APPEND on " + o);
        }

        private List<Object> popToMark() {
            List<Object> items = new ArrayList<>();
            while (stack.peek() != MARK) {
                items.add(0, stack.pop());
            }
            stack.pop();
            return items;
        }

        private Object long1(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (long) (in.get() & 0xFF) << (8 * i);
            }
            if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
                v -= 1L << (8 * n);
            }
            return v;
        }

        private String string(int n) {
            byte[] b = new byte[n];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        private byte[] bytes(int n) {
            byte[] b = new byte[n];
            in.get(b);
            return b;
        }

        private String line() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (byte c = in.get(); c != '\n'; c = in.get()) {
                b.write(c);
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        private Object persistent(Object pid) {
            List<?> t = (List<?>) pid;
            if (t.size() < 3 || !"storage".equals(t.get(0))) {
                throw new BadInputException("unexpected persistent id " + t + " in the checkpoint");
            }
            Object type = t.get(1);
            String typeName = type instanceof Global g ? g.name() : String.valueOf(type);
            return new StorageRef(typeName, String.valueOf(t.get(2)));
        }

        private Object call(Global callee, List<Object> args) throws IOException {
            String name = callee.module() + "." + callee.name();
            switch (name) {
                case "collections.OrderedDict":
                    return new LinkedHashMap<Object, Object>();
                case "torch._utils._rebuild_tensor_v2":
                case "torch._utils._rebuild_tensor":
                    return rebuild(
                            (StorageRef) args.get(0), ((Number) args.get(1)).longValue(), (List<?>) args.get(2), (List<
                                            ?>)
                                    args.get(3));
                case "torch._utils._rebuild_parameter":
                    return args.get(0);
                default:
                    return new Call(callee, args); // anything else is kept inert and never executed
            }
        }

        private Object rebuild(StorageRef storage, long offset, List<?> size, List<?> stride) throws IOException {
            int itemSize;
            switch (storage.type()) {
                case "FloatStorage" -> itemSize = 4;
                case "DoubleStorage" -> itemSize = 8;
                case "HalfStorage", "BFloat16Storage" -> itemSize = 2;
                default -> {
                    return NONE; // integer storages (num_batches_tracked) are not weights
                }
            }
            byte[] raw = loaded.computeIfAbsent(storage.key(), k -> {
                try {
                    return storages.bytes(k);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long[] shape =
                    size.stream().mapToLong(o -> ((Number) o).longValue()).toArray();
            long[] strides =
                    stride.stream().mapToLong(o -> ((Number) o).longValue()).toArray();
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[(int) n];
            long[] index = new long[shape.length];
            for (int i = 0; i < n; i++) {
                long element = offset;
                for (int d = 0; d < shape.length; d++) {
                    element += index[d] * strides[d];
                }
                int pos = (int) (element * itemSize);
                values[i] = switch (storage.type()) {
                    case "FloatStorage" -> buf.getFloat(pos);
                    case "DoubleStorage" -> (float) buf.getDouble(pos);
                    case "HalfStorage" -> SafeTensors.halfToFloat(buf.getShort(pos));
                    default -> Float.intBitsToFloat((buf.getShort(pos) & 0xFFFF) << 16);
                };
                for (int d = shape.length - 1; d >= 0; d--) {
                    if (++index[d] < shape[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
            return new Tensor(shape, values);
        }
    }
}
