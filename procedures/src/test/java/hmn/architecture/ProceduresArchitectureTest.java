package hmn.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** No import cycle among the packages of this module (read from the class files by jdeps). */
class ProceduresArchitectureTest {

    @Test
    void should_have_no_package_cycle() {
        assertThat(PackageGraph.of(Path.of("target/classes"), "hmn\\..*").cycles())
                .isEmpty();
    }
}
