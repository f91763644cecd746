package hmn.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** core is pure Java: no framework import, and no cycle among its packages. */
class ArchitectureTest {
    static final Path CLASSES = Path.of("target/classes");

    @Test
    void should_use_no_framework() {
        assertThat(PackageGraph.of(CLASSES, null).used())
                .noneMatch(p -> p.startsWith("org.neo4j")
                        || p.startsWith("ai.djl")
                        || p.startsWith("ai.onnxruntime")
                        || p.startsWith("dev.langchain4j")
                        || p.startsWith("picocli"));
    }

    @Test
    void should_have_no_package_cycle() {
        assertThat(PackageGraph.of(CLASSES, "hmn\\..*").cycles()).isEmpty();
    }

    @Test
    void should_find_a_cycle_where_there_is_one() {
        PackageGraph graph = new PackageGraph(java.util.Map.of(
                "a",
                java.util.Set.of("b"),
                "b",
                java.util.Set.of("c"),
                "c",
                java.util.Set.of("a", "d"),
                "d",
                java.util.Set.of()));
        assertThat(graph.cycles()).containsExactly(java.util.Set.of("a", "b", "c"));
    }
}
