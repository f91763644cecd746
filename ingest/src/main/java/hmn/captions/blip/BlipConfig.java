package hmn.captions.blip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.core.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sizes of a BLIP image-captioning checkpoint, read from its {@code config.json} ({@code vision_config} and
 * {@code text_config}). Absent keys take the defaults of Hugging Face's {@code BlipVisionConfig} and
 * {@code BlipTextConfig}, so the same code reads the base, the large and a tiny test checkpoint.
 */
public record BlipConfig(Vision vision, Text text) {

    /** The ViT image encoder. */
    public record Vision(
            int hiddenSize,
            int intermediateSize,
            int layers,
            int heads,
            int imageSize,
            int patchSize,
            int channels,
            double layerNormEps,
            String hiddenAct) {
        public Vision {
            require(
                    hiddenSize > 0 && layers > 0 && heads > 0 && intermediateSize > 0,
                    "vision_config sizes must be positive");
            require(
                    hiddenSize % heads == 0,
                    "vision_config.hidden_size " + hiddenSize + " must be a multiple of num_attention_heads " + heads);
            require(
                    patchSize > 0 && imageSize % patchSize == 0,
                    "vision_config.image_size " + imageSize + " must be a multiple of patch_size " + patchSize);
            requireAct(hiddenAct, "vision_config.hidden_act");
        }

        public int patches() {
            return (imageSize / patchSize) * (imageSize / patchSize);
        }

        /** Patches plus the class token. */
        public int positions() {
            return patches() + 1;
        }
    }

    /** The BERT-style text decoder and its special token ids. */
    public record Text(
            int vocabSize,
            int hiddenSize,
            int encoderHiddenSize,
            int intermediateSize,
            int layers,
            int heads,
            int maxPositions,
            double layerNormEps,
            String hiddenAct,
            int bosTokenId,
            int sepTokenId,
            int padTokenId,
            int maxLength,
            int numBeams) {
        public Text {
            require(
                    vocabSize > 0 && hiddenSize > 0 && layers > 0 && heads > 0 && intermediateSize > 0,
                    "text_config sizes must be positive");
            require(
                    hiddenSize % heads == 0,
                    "text_config.hidden_size " + hiddenSize + " must be a multiple of num_attention_heads " + heads);
            require(
                    bosTokenId >= 0 && bosTokenId < vocabSize,
                    "text_config.bos_token_id " + bosTokenId + " must be in [0, vocab_size " + vocabSize + ")");
            require(
                    sepTokenId >= 0 && sepTokenId < vocabSize,
                    "text_config.sep_token_id " + sepTokenId + " must be in [0, vocab_size " + vocabSize + ")");
            require(maxLength >= 2, "text_config.max_length must be at least 2, got " + maxLength);
            requireAct(hiddenAct, "text_config.hidden_act");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads {@code dir/config.json}. */
    public static BlipConfig read(Path configJson) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(configJson));
        } catch (IOException e) {
            throw new BadInputException("cannot read BLIP config " + configJson + ": " + e.getMessage()
                    + " (expected a Hugging Face config.json with vision_config and text_config)");
        }
        return parse(root, configJson.toString());
    }

    static BlipConfig parse(JsonNode root, String where) {
        if (root == null || !root.isObject()) {
            throw new BadInputException(where + " is not a JSON object");
        }
        JsonNode v = root.path("vision_config");
        JsonNode t = root.path("text_config");
        try {
            Vision vision = new Vision(
                    v.path("hidden_size").asInt(768),
                    v.path("intermediate_size").asInt(3072),
                    v.path("num_hidden_layers").asInt(12),
                    v.path("num_attention_heads").asInt(12),
                    v.path("image_size").asInt(384),
                    v.path("patch_size").asInt(16),
                    v.path("num_channels").asInt(3),
                    v.path("layer_norm_eps").asDouble(1e-5),
                    v.path("hidden_act").asText("gelu"));
            Text text = new Text(
                    t.path("vocab_size").asInt(30524),
                    t.path("hidden_size").asInt(768),
                    t.path("encoder_hidden_size").asInt(vision.hiddenSize()),
                    t.path("intermediate_size").asInt(3072),
                    t.path("num_hidden_layers").asInt(12),
                    t.path("num_attention_heads").asInt(8),
                    t.path("max_position_embeddings").asInt(512),
                    t.path("layer_norm_eps").asDouble(1e-12),
                    t.path("hidden_act").asText("gelu"),
                    t.path("bos_token_id").asInt(30522),
                    t.path("sep_token_id").asInt(102),
                    t.path("pad_token_id").asInt(0),
                    t.path("max_length").asInt(20),
                    t.path("num_beams").asInt(1));
            return new BlipConfig(vision, text);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(where + ": " + e.getMessage());
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void requireAct(String act, String key) {
        require("gelu".equals(act), key + " must be \"gelu\" (the activation BLIP uses), got \"" + act + "\"");
    }
}
