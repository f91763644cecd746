package hmn.language.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importing another cache file's entries (a shard's captions). */
class JsonlCacheImportTest {
    @TempDir
    Path dir;

    @Test
    void should_add_the_complete_entries_it_lacks_with_their_fields_and_leave_the_other_file_unchanged()
            throws Exception {
        // given another cache with one entry this one has, one it lacks and a torn last line
        Path other = dir.resolve("shard.jsonl");
        try (JsonlCache shard = JsonlCache.open(other)) {
            shard.put("k1", "theirs", Map.of());
            shard.put("k2", "a red scene", Map.of("model", "openai:vision", "image", "a.png"));
        }
        Files.writeString(
                other, "{\"key\": \"k3\", \"val", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        String before = Files.readString(other);
        Path mine = dir.resolve("main.jsonl");
        try (JsonlCache cache = JsonlCache.open(mine)) {
            cache.put("k1", "mine", Map.of());
            // when
            int added = cache.importFrom(other);
            // then
            assertThat(added).isEqualTo(1);
            assertThat(cache.get("k1")).contains("mine");
            assertThat(cache.get("k2")).contains("a red scene");
            assertThat(cache.get("k3")).isEmpty();
            assertThat(cache.importFrom(dir.resolve("absent.jsonl"))).isZero();
        }
        assertThat(Files.readString(other)).isEqualTo(before);
        assertThat(Files.readAllLines(mine))
                .hasSize(2)
                .last()
                .asString()
                .contains("\"key\":\"k2\"", "\"model\":\"openai:vision\"", "\"image\":\"a.png\"");
        try (JsonlCache reopened = JsonlCache.open(mine)) {
            assertThat(reopened.get("k2")).contains("a red scene");
        }
    }
}
