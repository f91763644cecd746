package hmn.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Spark stays in this module: no package cycle here, and neither ingest nor the procedures use Spark or Scala. */
class SparkArchitectureTest {

    @Test
    void should_have_no_package_cycle() {
        assertThat(PackageGraph.of(Path.of("target/classes"), "hmn\\..*").cycles())
                .isEmpty();
    }

    @Test
    void should_keep_spark_out_of_ingest_and_the_procedures() {
        for (String module : new String[] {"../ingest/target/classes", "../procedures/target/classes"}) {
            assertThat(PackageGraph.of(Path.of(module), "org\\.apache\\.spark.*|scala.*")
                            .used())
                    .as(module)
                    .isEmpty();
        }
    }
}
