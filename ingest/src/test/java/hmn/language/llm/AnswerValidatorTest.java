package hmn.language.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AnswerValidatorTest {
    final AnswerValidator validator = new AnswerValidator(60);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Dogs playing on a sandy beach.",
                "  snowy forest  ",
                "Street scenes at night, e.g. in Paris.",
                "A man's bicycle by a wall"
            })
    void should_accept_one_plain_sentence(String answer) {
        assertThat(validator.check(answer).value()).isEqualTo(answer.strip());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''| empty answer",
                "Dogs on a beach.\\nCats too.| more than one line",
                "\"Dogs on a beach.\"| contains quotation marks",
                "Sure, here it is| has a preamble",
                "Here is the caption| has a preamble",
                "Caption: dogs on a beach| has a preamble",
                "- dogs on a beach| is a list item",
                "Dogs on a beach. Cats in a house.| more than one sentence",
                "Dogs on a beach with a very long tail of words that goes on and on and on| longer than 60 characters (73)"
            })
    void should_reject_answers_that_are_not_one_plain_sentence(String answer, String reason) {
        assertThat(validator.check(answer.replace("\\n", "\n")).rejection()).isEqualTo(reason);
    }
}
