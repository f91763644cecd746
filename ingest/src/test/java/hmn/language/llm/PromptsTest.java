package hmn.language.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptsTest {
    @TempDir
    Path dir;

    @Test
    void should_ship_a_versioned_prompt_for_every_task() {
        Prompts prompts = Prompts.defaults();
        for (String name : Prompts.NAMES) {
            assertThat(prompts.get(name).version()).isEqualTo(name + "-v1");
        }
        assertThat(prompts.get("difference").render(Map.of("child", "snowy forest", "parent", "forest")))
                .contains("described as: forest", "described as: snowy forest");
    }

    @Test
    void should_let_a_directory_override_one_prompt() throws Exception {
        // given
        Files.writeString(
                dir.resolve("difference.txt"), "version: mine-3\n---\nWhat does {{child}} add to {{parent}}?");
        Files.writeString(dir.resolve("caption.txt"), "Describe the photo.");
        // when
        Prompts prompts = Prompts.load(dir);
        // then
        assertThat(prompts.get("difference").version()).isEqualTo("mine-3");
        assertThat(prompts.get("difference").render(Map.of("child", "c", "parent", "p")))
                .isEqualTo("What does c add to p?");
        assertThat(prompts.get("caption").version())
                .startsWith("caption-custom-")
                .hasSize("caption-custom-".length() + 8);
        assertThat(prompts.get("representative").version()).isEqualTo("representative-v1");
    }

    @Test
    void should_name_a_missing_placeholder_value() {
        assertThatThrownBy(() -> new Prompt("x", "x-1", "a {{b}}").render(Map.of()))
                .hasMessage("prompt x (x-1) uses {{b}}, which has no value; known: []");
    }

    @Test
    void should_reject_a_prompts_path_that_is_not_a_directory() {
        assertThatThrownBy(() -> Prompts.load(dir.resolve("nope")))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("--prompts must be a directory holding any of representative.txt");
    }
}
