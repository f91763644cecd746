package hmn.captions.blip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.core.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BERT's uncased WordPiece tokenizer, as BLIP's checkpoints ship it: encodes an optional text prompt and decodes
 * generated ids back to text the way Hugging Face's {@code decode(ids, skip_special_tokens=True)} does (special
 * tokens dropped, "##" pieces joined, spaces before punctuation and contractions cleaned up).
 */
public final class WordPieceTokenizer {
    private static final String PREFIX = "##";
    private static final int MAX_WORD_CHARS = 100;
    private static final List<String> BERT_SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    private final Map<String, Integer> ids;
    private final Map<Integer, String> tokens;
    private final Set<Integer> special;
    private final int unkId;

    public WordPieceTokenizer(Map<String, Integer> vocab, Set<String> specialTokens) {
        if (!vocab.containsKey("[UNK]")) {
            throw new IllegalArgumentException("the WordPiece vocabulary has no [UNK] token");
        }
        this.ids = Map.copyOf(vocab);
        Map<Integer, String> byId = new HashMap<>();
        vocab.forEach((token, id) -> byId.put(id, token));
        this.tokens = Map.copyOf(byId);
        Set<Integer> specialIds = new HashSet<>();
        for (String s : specialTokens) {
            Integer id = vocab.get(s);
            if (id != null) {
                specialIds.add(id);
            }
        }
        this.special = Set.copyOf(specialIds);
        this.unkId = vocab.get("[UNK]");
    }

    /**
     * Reads {@code tokenizer.json} (its WordPiece vocabulary and added tokens) when the directory has one, else
     * {@code vocab.txt} (one token a line, the line number is the id).
     */
    public static WordPieceTokenizer load(Path dir) {
        Path json = dir.resolve("tokenizer.json");
        Path txt = dir.resolve("vocab.txt");
        try {
            if (Files.isRegularFile(json)) {
                return fromTokenizerJson(new ObjectMapper().readTree(json.toFile()), json.toString());
            }
            if (Files.isRegularFile(txt)) {
                Map<String, Integer> vocab = new HashMap<>();
                List<String> lines = Files.readAllLines(txt);
                for (int i = 0; i < lines.size(); i++) {
                    vocab.putIfAbsent(lines.get(i).strip(), i);
                }
                return new WordPieceTokenizer(vocab, new HashSet<>(BERT_SPECIALS));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException("cannot read the BLIP tokenizer in " + dir + ": " + e.getMessage());
        }
        throw new BadInputException("no tokenizer.json or vocab.txt in " + dir
                + " (copy them from the checkpoint's Hugging Face repository)");
    }

    static WordPieceTokenizer fromTokenizerJson(JsonNode root, String where) {
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText())) {
            throw new IllegalArgumentException(where + ": model.type must be WordPiece, got \""
                    + model.path("type").asText() + "\"");
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        Set<String> specials = new HashSet<>(BERT_SPECIALS);
        for (JsonNode added : root.path("added_tokens")) {
            String content = added.path("content").asText();
            vocab.put(content, added.path("id").asInt());
            if (added.path("special").asBoolean(false)) {
                specials.add(content);
            }
        }
        return new WordPieceTokenizer(vocab, specials);
    }

    public int vocabularySize() {
        return ids.size();
    }

    public boolean isSpecial(int id) {
        return special.contains(id);
    }

    /** Marks more ids as special (e.g. the decoder's BOS id from config.json) so that decoding drops them. */
    public WordPieceTokenizer withSpecialIds(int... extra) {
        Set<String> names = new HashSet<>();
        special.forEach(id -> names.add(tokens.get(id)));
        Map<String, Integer> vocab = new HashMap<>(ids);
        for (int id : extra) {
            String name = tokens.get(id);
            if (name == null) {
                name = "[id " + id + "]";
                vocab.put(name, id);
            }
            names.add(name);
        }
        return new WordPieceTokenizer(vocab, names);
    }

    /** Token ids of a text, without [CLS]/[SEP]: lower case, accents stripped, split at spaces and punctuation. */
    public List<Integer> encode(String text) {
        List<Integer> out = new ArrayList<>();
        for (String word : basicTokens(text)) {
            wordPiece(word, out);
        }
        return out;
    }

    /** Text of generated ids, special tokens skipped. */
    public String decode(List<Integer> generated) {
        StringBuilder text = new StringBuilder();
        for (int id : generated) {
            if (special.contains(id)) {
                continue;
            }
            String token = tokens.get(id);
            if (token == null) {
                continue;
            }
            if (token.startsWith(PREFIX) && text.length() > 0) {
                text.append(token, PREFIX.length(), token.length());
            } else {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(token);
            }
        }
        return cleanUp(text.toString());
    }

    /** Hugging Face's clean_up_tokenization. */
    static String cleanUp(String s) {
        return s.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    private void wordPiece(String word, List<Integer> out) {
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            out.add(unkId);
            return;
        }
        List<Integer> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (start < end) {
                String piece = (start > 0 ? PREFIX : "") + word.substring(start, end);
                found = ids.get(piece);
                if (found != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                out.add(unkId);
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces);
    }

    private static List<String> basicTokens(String text) {
        String lower = Normalizer.normalize(text.toLowerCase(java.util.Locale.ROOT), Normalizer.Form.NFD);
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < lower.length(); ) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) == Character.NON_SPACING_MARK
                    || cp == 0
                    || cp == 0xfffd
                    || (Character.isISOControl(cp) && !Character.isWhitespace(cp))) {
                continue;
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                flush(word, words);
            } else if (isPunctuation(cp) || isCjk(cp)) {
                flush(word, words);
                words.add(new String(Character.toChars(cp)));
            } else {
                word.appendCodePoint(cp);
            }
        }
        flush(word, words);
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        if (word.length() > 0) {
            words.add(word.toString());
            word.setLength(0);
        }
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.CONNECTOR_PUNCTUATION
                || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION
                || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
