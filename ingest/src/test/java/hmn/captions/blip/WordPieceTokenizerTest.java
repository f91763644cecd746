package hmn.captions.blip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTokenizerTest {
    static final List<String> VOCAB = List.of(
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "photo", "of", "snow", "##y", "forest", "-", "!", "dog",
            "'", "s", "isn", "t", "##s", "cafe", ".", "[DEC]");

    static WordPieceTokenizer tokenizer() {
        Map<String, Integer> vocab = new HashMap<>();
        for (int i = 0; i < VOCAB.size(); i++) {
            vocab.put(VOCAB.get(i), i);
        }
        return new WordPieceTokenizer(vocab, Set.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[DEC]"));
    }

    static int id(String token) {
        return VOCAB.indexOf(token);
    }

    @Test
    void should_encode_lower_case_without_accents_split_at_punctuation_into_word_pieces() {
        assertThat(tokenizer().encode("A  Photo of SNOWY-forest!"))
                .containsExactly(id("a"), id("photo"), id("of"), id("snow"), id("##y"), id("-"), id("forest"), id("!"));
        assertThat(tokenizer().encode("Café dogs")).containsExactly(id("cafe"), id("dog"), id("##s"));
        assertThat(tokenizer().encode("zebra")).containsExactly(id("[UNK]"));
    }

    @Test
    void should_decode_joining_pieces_dropping_special_tokens_and_cleaning_spaces() {
        List<Integer> ids = List.of(
                id("[DEC]"),
                id("a"),
                id("photo"),
                id("of"),
                id("snow"),
                id("##y"),
                id("forest"),
                id("[UNK]"),
                id("."),
                id("[SEP]"),
                id("[PAD]"));
        assertThat(tokenizer().decode(ids)).isEqualTo("a photo of snowy forest.");
        assertThat(tokenizer().decode(List.of(id("dog"), id("'"), id("s"), id("photo"))))
                .isEqualTo("dog's photo");
        assertThat(tokenizer().decode(List.of(id("##y"), id("dog"), 999))).isEqualTo("##y dog");
    }

    @Test
    void should_treat_extra_ids_as_special() {
        WordPieceTokenizer t = tokenizer().withSpecialIds(id("of"), 5000);
        assertThat(t.decode(List.of(id("photo"), id("of"), 5000, id("dog")))).isEqualTo("photo dog");
        assertThat(t.isSpecial(5000)).isTrue();
    }

    @Test
    void should_read_tokenizer_json_with_its_added_special_tokens(@TempDir Path dir) throws IOException {
        TinyBlip.write(dir, 1);
        WordPieceTokenizer t = WordPieceTokenizer.load(dir);
        assertThat(t.vocabularySize()).isEqualTo(TinyBlip.vocabSize());
        assertThat(t.isSpecial(TinyBlip.bosId())).isTrue();
        assertThat(t.decode(t.encode("Two dogs playing on the beach."))).isEqualTo("two dogs playing on the beach.");
    }

    @Test
    void should_reject_a_tokenizer_json_that_is_not_word_piece(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}");
        assertThatThrownBy(() -> WordPieceTokenizer.load(dir))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("model.type must be WordPiece, got \"BPE\"");
    }
}
