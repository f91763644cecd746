package hmn.language.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlCacheTest {
    @TempDir
    Path dir;

    @Test
    void should_keep_entries_across_runs_and_survive_a_torn_last_line() throws Exception {
        // given: two entries, then a write cut short by a crash
        Path file = dir.resolve("sub/c.jsonl");
        try (JsonlCache cache = JsonlCache.open(file)) {
            cache.put("k1", "v1", Map.of("model", "m"));
            cache.put("k2", "v2", Map.of());
        }
        Files.writeString(file, "{\"key\":\"k3\",\"val", StandardOpenOption.APPEND);
        // when
        try (JsonlCache cache = JsonlCache.open(file)) {
            cache.put("k4", "v4", Map.of());
        }
        // then
        try (JsonlCache cache = JsonlCache.open(file)) {
            assertThat(cache.size()).isEqualTo(3);
            assertThat(cache.get("k1")).contains("v1");
            assertThat(cache.get("k3")).isEmpty();
            assertThat(cache.get("k4")).contains("v4");
        }
        assertThat(Files.readAllLines(file)).hasSize(4).last().asString().startsWith("{\"key\":\"k4\"");
    }
}
