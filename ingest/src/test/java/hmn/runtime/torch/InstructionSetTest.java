package hmn.runtime.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which instruction sets the parity tests (tag "parity") covered on this machine. The build runs them twice: as the
 * machine is, and with oneDNN limited to AVX2 (the {@code parity-avx2} execution sets
 * {@code ONEDNN_MAX_CPU_ISA=AVX2} and {@code hmn.parity.isa=AVX2}). ONNX Runtime has no such switch: its kernels run
 * as the CPU allows in both.
 */
@Tag("parity")
class InstructionSetTest {

    static boolean hasAvx512() throws Exception {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        return Files.isReadable(cpuinfo) && Files.readString(cpuinfo).contains(" avx512f");
    }

    @Test
    void should_run_the_parity_tests_with_avx512_kernels_where_the_cpu_has_them() throws Exception {
        String limit = System.getenv("ONEDNN_MAX_CPU_ISA");
        assumeTrue(limit == null || limit.isBlank(), "oneDNN is limited to " + limit + " in this run");
        assumeTrue(
                hasAvx512(),
                "this CPU has no AVX-512: the parity tests ran on AVX2 kernels only; the AVX-512 "
                        + "kernels were not tested on this machine");
        System.out.println("parity tests: native run on an AVX-512 CPU");
    }

    @Test
    void should_limit_onednn_to_avx2_in_the_avx2_run() throws Exception {
        String wanted = System.getProperty("hmn.parity.isa");
        assumeTrue(wanted != null, "not the AVX2-limited run");
        assertThat(System.getenv("ONEDNN_MAX_CPU_ISA")).isEqualTo(wanted);
        System.out.println("parity tests: oneDNN limited to " + wanted
                + (hasAvx512()
                        ? " on an AVX-512 CPU"
                        : " (this CPU has no AVX-512, so the run repeats the native one)"));
    }
}
