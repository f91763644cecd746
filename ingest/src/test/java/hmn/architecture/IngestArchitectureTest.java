package hmn.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No import cycle among the packages of this module, and no layer importing one above it (read from the class files
 * by jdeps).
 */
class IngestArchitectureTest {
    private static final Path CLASSES = Path.of("target/classes");
    /** hmn-core's packages, below everything in this module. */
    private static final String[] CORE = {
        "hmn.core", "hmn.io", "hmn.group", "hmn.format", "hmn.finch", "hmn.schema", "hmn.validity"
    };

    @Test
    void should_have_no_package_cycle() {
        assertThat(PackageGraph.of(CLASSES, "hmn\\..*").cycles()).isEmpty();
    }

    @Test
    void should_keep_the_model_runtimes_below_the_stages_and_the_command_line() {
        // hmn.runtime.* may use each other and the base packages only.
        assertThat(uses("hmn.runtime", with(CORE, "hmn.runtime", "hmn.images", "hmn.progress")))
                .isEmpty();
    }

    @Test
    void should_build_blip_on_the_model_runtimes_not_on_the_activation_stage() {
        assertThat(uses("hmn.captions.blip", with(CORE, "hmn.captions", "hmn.runtime", "hmn.images", "hmn.download")))
                .isEmpty();
    }

    @Test
    void should_keep_the_stages_free_of_the_command_line_and_the_benchmarks() {
        for (String stage : new String[] {"hmn.activations", "hmn.captions", "hmn.embeddings", "hmn.labels"}) {
            assertThat(uses(
                            stage,
                            with(
                                    CORE,
                                    "hmn.activations",
                                    "hmn.captions",
                                    "hmn.embeddings",
                                    "hmn.labels",
                                    "hmn.runtime",
                                    "hmn.language.llm",
                                    "hmn.language.cache",
                                    "hmn.language.http",
                                    "hmn.images",
                                    "hmn.download",
                                    "hmn.progress")))
                    .as(stage)
                    .isEmpty();
        }
    }

    @Test
    void should_keep_the_export_to_the_graph_schema_and_parquet() {
        // hmn.export reads the graph (Neo4j) and writes Parquet; the command line drives it, not the reverse
        assertThat(uses("hmn.export", with(CORE, "hmn.export"))).isEmpty();
    }

    @Test
    void should_keep_the_base_packages_free_of_everything_above_them() {
        for (String base : new String[] {"hmn.images", "hmn.progress", "hmn.download", "hmn.demo"}) {
            assertThat(uses(base, with(CORE, "hmn.images", "hmn.progress", "hmn.download", "hmn.demo")))
                    .as(base)
                    .isEmpty();
        }
    }

    /** The packages under {@code root} that use an hmn package outside {@code allowed} (each a package and below). */
    private static Map<String, Set<String>> uses(String root, String... allowed) {
        Map<String, Set<String>> out = new TreeMap<>();
        PackageGraph.of(CLASSES, "hmn\\..*").edges().forEach((from, to) -> {
            if (!within(from, root)) {
                return;
            }
            for (String used : to) {
                boolean ok = false;
                for (String a : allowed) {
                    ok |= within(used, a);
                }
                if (!ok) {
                    out.computeIfAbsent(from, k -> new TreeSet<>()).add(used);
                }
            }
        });
        return out;
    }

    private static String[] with(String[] core, String... more) {
        String[] out = java.util.Arrays.copyOf(core, core.length + more.length);
        System.arraycopy(more, 0, out, core.length, more.length);
        return out;
    }

    private static boolean within(String pkg, String root) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }
}
