package hmn.language.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import hmn.language.http.RetryAfter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LlmSpecTest {
    @Test
    void should_take_url_and_key_from_the_environment_when_no_option_is_given() {
        LlmSpec spec = LlmSpec.parse(
                "--llm",
                "openai:gpt-4o-mini",
                null,
                null,
                Map.of("OPENAI_API_KEY", "sk-1", "HMN_LLM_BASE_URL", "http://127.0.0.1:9/v1/"));
        assertThat(spec).isEqualTo(new LlmSpec("openai", "gpt-4o-mini", "http://127.0.0.1:9/v1", "sk-1"));
        assertThat(spec.toString()).doesNotContain("sk-1");
    }

    @Test
    void should_prefer_options_over_the_environment() {
        LlmSpec spec = LlmSpec.parse("--llm", "ollama:llama3.2", "http://h:1", "opt", Map.of("OLLAMA_HOST", "x:2"));
        assertThat(spec).isEqualTo(new LlmSpec("ollama", "llama3.2", "http://h:1", "opt"));
        assertThat(LlmSpec.parse("--llm", "ollama:m", null, null, Map.of("OLLAMA_HOST", "x:2"))
                        .baseUrl())
                .isEqualTo("http://x:2");
    }

    @Test
    void should_explain_bad_values() {
        assertThatThrownBy(() -> LlmSpec.parse("--llm", "gpt-4o", null, null, Map.of()))
                .isInstanceOf(BadInputException.class)
                .hasMessage("--llm must be openai:MODEL or ollama:MODEL (e.g. openai:gpt-4o-mini, ollama:llama3.2),"
                        + " got 'gpt-4o'");
        assertThatThrownBy(() -> LlmSpec.parse("--llm", "openai:gpt-4o", null, null, Map.of()))
                .hasMessageContaining("needs a key: set OPENAI_API_KEY");
        assertThatThrownBy(() -> LlmSpec.parse("--llm", "claude:x", null, null, Map.of()))
                .hasMessage("--llm provider must be openai or ollama, got 'claude' in 'claude:x'");
    }

    @Test
    void should_parse_retry_after_seconds_and_dates() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        assertThat(RetryAfter.parse("3", clock)).contains(Duration.ofSeconds(3));
        assertThat(RetryAfter.parse("Thu, 01 Jan 2026 00:00:30 GMT", clock)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("soon", clock)).isEmpty();
    }

    @Test
    void should_double_the_backoff_up_to_the_cap_unless_the_server_says_otherwise() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertThat(p.delayAfter(1, Optional.empty())).isEqualTo(Duration.ofMillis(500));
        assertThat(p.delayAfter(2, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delayAfter(4, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delayAfter(1, Optional.of(Duration.ofSeconds(9)))).isEqualTo(Duration.ofSeconds(9));
        assertThat(p.delayAfter(1, Optional.of(Duration.ofHours(1)))).isEqualTo(Duration.ofSeconds(60));
    }
}
