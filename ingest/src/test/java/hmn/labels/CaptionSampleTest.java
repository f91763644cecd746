package hmn.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CaptionSampleTest {
    @Test
    void should_merge_duplicates_and_list_them_by_count() {
        // when
        CaptionSample s = CaptionSample.of(List.of("b cat", "a dog", "b cat", " b  cat "), 10, 1000);
        // then
        assertThat(s.lines()).containsExactly("- b cat (x3)", "- a dog");
        assertThat(s.sampled()).isFalse();
        assertThat(s.note()).isEmpty();
    }

    @Test
    void should_sample_the_same_captions_whatever_the_input_order() {
        // given
        List<String> captions = new ArrayList<>(
                IntStream.range(0, 200).mapToObj(i -> "caption number " + i).toList());
        CaptionSample first = CaptionSample.of(captions, 20, 100_000);
        // when
        Collections.shuffle(captions, new Random(7));
        CaptionSample second = CaptionSample.of(captions, 20, 100_000);
        // then
        assertThat(second).isEqualTo(first);
        assertThat(first.kept()).isEqualTo(20);
        assertThat(first.distinct()).isEqualTo(200);
        assertThat(first.note()).isEqualTo(" (shown: a fixed sample of 20 of its 200 distinct captions)");
    }

    @Test
    void should_stop_at_the_character_budget() {
        // when
        CaptionSample s = CaptionSample.of(
                IntStream.range(0, 50).mapToObj(i -> "x".repeat(90) + i).toList(), 50, 500);
        // then
        assertThat(s.kept()).isEqualTo(5);
    }
}
