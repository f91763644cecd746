package hmn.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractiveLabellerTest {
    private final ExtractiveLabeller labeller = ExtractiveLabeller.builder().build();

    @Test
    void should_pick_the_caption_nearest_the_centre_as_representative() {
        // given
        List<String> captions = List.of(
                "a dog running in the snowy forest",
                "a dog in the snowy forest",
                "a red car parked on the street",
                "a dog sleeping in the snowy forest");
        // when
        Label label = labeller.label(List.of(LabelRequest.representative("L1-1", captions)))
                .get(0);
        // then
        assertThat(label.text()).isEqualTo("a dog in the snowy forest");
        assertThat(label.source()).isEqualTo("extractive");
        assertThat(label.promptVersion()).isEqualTo("none");
        assertThat(label.offlineDefault()).isTrue();
    }

    @Test
    void should_generalise_over_the_childrens_captions() {
        List<String> children =
                List.of("a snowy dog in the forest", "a misty dog in the forest", "a dog in the forest at dusk");
        Label label = labeller.label(List.of(LabelRequest.generalisation("L2-0", children)))
                .get(0);
        assertThat(label.text()).isEqualTo("a dog in the forest");
    }

    @Test
    void should_keep_a_whole_caption_when_no_word_is_shared_by_half() {
        List<String> captions = List.of("a cat", "a dog", "a bird");
        Label label = labeller.label(List.of(LabelRequest.generalisation("L2-1", captions)))
                .get(0);
        assertThat(label.text()).isIn(captions);
    }

    @Test
    void should_drop_a_minority_phrase_with_its_function_words() {
        assertThat(ExtractiveLabeller.compress(
                        "a sunny cat on the beach at dusk",
                        List.of(
                                "a sunny cat on the beach at dusk",
                                "a sunny cat on the beach",
                                "sunny cats on a beach")))
                .isEqualTo("a sunny cat on the beach");
    }

    @Test
    void should_describe_a_difference_by_the_childs_words_missing_from_the_parent() {
        Label label = labeller.label(
                        List.of(LabelRequest.difference("L1-4", "a dog in the snowy forests", "dogs in a forest")))
                .get(0);
        assertThat(label.text()).isEqualTo("snowy");
    }

    @Test
    void should_say_so_when_the_child_adds_no_words() {
        Label label = labeller.label(List.of(LabelRequest.difference("L1-4", "a dog", "the dog")))
                .get(0);
        assertThat(label.text()).isEqualTo("no wording beyond the parent's: a dog");
    }

    @Test
    void should_weight_words_by_the_corpus_when_given_one() {
        // given: "photo"-like filler words are frequent in the corpus, "beach" is rare
        ExtractiveLabeller weighted = ExtractiveLabeller.builder()
                .corpus(List.of("sunny day", "sunny day", "sunny day", "beach", "sunny beach"))
                .build();
        List<String> captions = List.of("sunny day", "sunny beach", "beach walk");
        // when
        String text = weighted.label(List.of(LabelRequest.representative("L1-0", captions)))
                .get(0)
                .text();
        // then
        assertThat(text).isEqualTo("sunny beach");
    }

    @Test
    void should_keep_the_order_of_requests() {
        List<Label> labels = labeller.label(List.of(
                LabelRequest.representative("a", List.of("one cat")),
                LabelRequest.difference("b", "two dogs", "dogs")));
        assertThat(labels).extracting(Label::text).containsExactly("one cat", "two");
    }
}
