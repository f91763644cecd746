package hmn.captions.blip;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Writes a tiny BLIP checkpoint with seeded random weights under the real parameter names: hidden size 32, 2 layers
 * and 2 heads in both towers, 32x32 images in 16x16 patches, and a WordPiece vocabulary of a few hundred tokens.
 * It has the same files as a Hugging Face checkpoint ({@code config.json}, {@code model.safetensors},
 * {@code tokenizer.json}, {@code vocab.txt}, {@code preprocessor_config.json}), so it goes through the same loading
 * and decoding code as the real models; tests and the benchmark use it.
 */
public final class TinyBlip {
    public static final int HIDDEN = 32;
    public static final int LAYERS = 2;
    public static final int HEADS = 2;
    public static final int IMAGE = 32;
    public static final int PATCH = 16;

    /** The sizes of a generated checkpoint; {@code wordPieces} tokens come before [DEC] and [ENC]. */
    public record Sizes(
            int hidden, int intermediate, int layers, int heads, int image, int patch, int textHeads, int wordPieces) {
        /** The tiny test model. */
        public static final Sizes TINY = new Sizes(HIDDEN, 2 * HIDDEN, LAYERS, HEADS, IMAGE, PATCH, HEADS, 400);
        /** The sizes of Salesforce/blip-image-captioning-base (random weights: for timing only). */
        public static final Sizes BASE = new Sizes(768, 3072, 12, 12, 384, 16, 12, 30522);
    }

    private static final String[] WORDS = {
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "with",
        "and",
        "at",
        "to",
        "is",
        "are",
        "two",
        "three",
        "man",
        "woman",
        "dog",
        "cat",
        "bird",
        "horse",
        "car",
        "bus",
        "tree",
        "trees",
        "forest",
        "snow",
        "snowy",
        "water",
        "beach",
        "sky",
        "cloud",
        "field",
        "grass",
        "road",
        "street",
        "city",
        "house",
        "table",
        "plate",
        "food",
        "pizza",
        "boat",
        "sitting",
        "standing",
        "running",
        "flying",
        "red",
        "green",
        "blue",
        "white",
        "black",
        "small",
        "large",
        "photo",
        "photography",
        "picture",
        "there",
        "front",
        "top",
        "next",
        "near",
        "view",
        "mountain",
        "river",
        "play",
        "##s",
        "##ing",
        "##ed",
        "##er",
        "##y",
        "##ly",
        "arafed",
        "close",
        "up",
        "people",
        "group",
        "child",
        "ball",
        "frisbee",
        "kite",
        "train",
        "plane",
        "window",
        "wall",
        "room",
        "bed",
        "chair",
        "sun",
        "night",
        "day",
        "light",
        "dark",
        "old",
        "young",
        "big",
        "little",
        "brown",
        "yellow",
        "orange",
        "pink",
        "purple",
        "'",
        "s",
        "n",
        "t",
        "-",
        "."
    };

    private TinyBlip() {}

    /** The vocabulary: BERT's specials first ([PAD] 0 .. [MASK] 4), words, then 300 filler pieces, then [DEC], [ENC]. */
    public static List<String> vocabulary() {
        return vocabulary(Sizes.TINY);
    }

    static List<String> vocabulary(Sizes sizes) {
        List<String> v = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        v.addAll(List.of(WORDS));
        java.util.Set<String> seen = new java.util.HashSet<>(v);
        for (int i = 0; v.size() < sizes.wordPieces(); i++) {
            String piece = "##" + (char) ('a' + i % 26) + (char) ('a' + (i / 26) % 26) + (i >= 676 ? i : "");
            if (seen.add(piece)) {
                v.add(piece);
            }
        }
        return v;
    }

    public static int bosId() {
        return Sizes.TINY.wordPieces();
    }

    public static int sepId() {
        return 3;
    }

    public static int vocabSize() {
        return Sizes.TINY.wordPieces() + 2;
    }

    /** Writes the tiny checkpoint: {@code TinyBlip DIR [SEED]} (seed 42 unless given). */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: TinyBlip DIR [SEED]");
            System.exit(2);
        }
        write(Path.of(args[0]), args.length > 1 ? Long.parseLong(args[1]) : 42);
    }

    /** Writes the checkpoint into {@code dir}. */
    public static Path write(Path dir, long seed) throws IOException {
        return write(dir, seed, (name, values) -> {});
    }

    /** Writes the checkpoint; {@code tweak} may change any parameter's values (row-major) before they are saved. */
    public static Path write(Path dir, long seed, BiConsumer<String, float[]> tweak) throws IOException {
        return write(dir, seed, Sizes.TINY, tweak);
    }

    /** Writes a checkpoint of the given sizes with seeded random weights. */
    public static Path write(Path dir, long seed, Sizes sizes, BiConsumer<String, float[]> tweak) throws IOException {
        Files.createDirectories(dir);
        int bos = sizes.wordPieces();
        int vocabSize = bos + 2;
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode();
        config.putArray("architectures").add("BlipForConditionalGeneration");
        config.put("model_type", "blip");
        ObjectNode vision = config.putObject("vision_config");
        vision.put("hidden_size", sizes.hidden())
                .put("intermediate_size", sizes.intermediate())
                .put("num_hidden_layers", sizes.layers())
                .put("num_attention_heads", sizes.heads())
                .put("image_size", sizes.image())
                .put("patch_size", sizes.patch())
                .put("layer_norm_eps", 1e-5)
                .put("hidden_act", "gelu");
        ObjectNode text = config.putObject("text_config");
        text.put("vocab_size", vocabSize)
                .put("hidden_size", sizes.hidden())
                .put("encoder_hidden_size", sizes.hidden())
                .put("intermediate_size", sizes.intermediate())
                .put("num_hidden_layers", sizes.layers())
                .put("num_attention_heads", sizes.textHeads())
                .put("max_position_embeddings", sizes == Sizes.TINY ? 64 : 512)
                .put("layer_norm_eps", 1e-12)
                .put("hidden_act", "gelu")
                .put("bos_token_id", bos)
                .put("sep_token_id", sepId())
                .put("pad_token_id", 0)
                .put("eos_token_id", 2)
                .put("max_length", 20);
        json.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve("config.json").toFile(), config);

        ObjectNode pre = json.createObjectNode();
        pre.put("do_resize", true)
                .putObject("size")
                .put("height", sizes.image())
                .put("width", sizes.image());
        ArrayNode mean = pre.putArray("image_mean");
        ArrayNode std = pre.putArray("image_std");
        for (int c = 0; c < 3; c++) {
            mean.add(BlipImageProcessor.MEAN[c]);
            std.add(BlipImageProcessor.STD[c]);
        }
        pre.put("resample", 3).put("image_processor_type", "BlipImageProcessor");
        json.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve("preprocessor_config.json").toFile(), pre);

        List<String> vocab = vocabulary(sizes);
        Files.write(dir.resolve("vocab.txt"), vocab);
        ObjectNode tokenizer = json.createObjectNode();
        ArrayNode added = tokenizer.putArray("added_tokens");
        for (int i = 0; i < 5; i++) {
            added.addObject().put("id", i).put("content", vocab.get(i)).put("special", true);
        }
        added.addObject().put("id", bos).put("content", "[DEC]").put("special", true);
        added.addObject().put("id", bos + 1).put("content", "[ENC]").put("special", true);
        ObjectNode model = tokenizer.putObject("model");
        model.put("type", "WordPiece")
                .put("unk_token", "[UNK]")
                .put("continuing_subword_prefix", "##")
                .put("max_input_chars_per_word", 100);
        ObjectNode ids = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            ids.put(vocab.get(i), i);
        }
        json.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve("tokenizer.json").toFile(), tokenizer);

        BlipConfig parsed = BlipConfig.read(dir.resolve("config.json"));
        Map<String, Shape> shapes = new LinkedHashMap<>(BlipWeights.expected(parsed));
        shapes.put(BlipWeights.HEAD_BIAS, new Shape(vocabSize));
        Random random = new Random(seed);
        writeSafetensors(
                dir.resolve("model.safetensors"), shapes, name -> values(name, shapes.get(name), random, tweak));
        return dir;
    }

    /** Writes float32 tensors in safetensors layout, generating each one as it is written (little memory). */
    static void writeSafetensors(Path file, Map<String, Shape> shapes, Function<String, float[]> values)
            throws IOException {
        ObjectNode header = new ObjectMapper().createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            long bytes = 4 * e.getValue().size();
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().getShape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        StringBuilder json = new StringBuilder(header.toString());
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        byte[] head = json.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer length =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(head.length);
            writeFully(out, length.flip());
            writeFully(out, ByteBuffer.wrap(head));
            for (String name : shapes.keySet()) {
                float[] v = values.apply(name);
                ByteBuffer data = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(v);
                writeFully(out, data);
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static float[] values(String name, Shape shape, Random random, BiConsumer<String, float[]> tweak) {
        float[] values = new float[(int) shape.size()];
        boolean norm = name.contains("LayerNorm") || name.contains("layer_norm") || name.contains("layernorm");
        for (int i = 0; i < values.length; i++) {
            double g = random.nextGaussian();
            if (norm && name.endsWith(".weight")) {
                values[i] = (float) (1.0 + 0.1 * g);
            } else if (norm || name.endsWith(".bias")) {
                values[i] = (float) (0.1 * g);
            } else {
                values[i] = (float) (0.3 * g);
            }
        }
        tweak.accept(name, values);
        return values;
    }
}
