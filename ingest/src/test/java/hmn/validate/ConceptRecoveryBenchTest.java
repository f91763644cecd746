package hmn.validate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConceptRecoveryBenchTest {

    @Test
    void should_compute_enrichment_on_a_planted_case() {
        // 512 channels, 64 of them selective (1/8); a group of 10 with 5 selective: (5/10) / (64/512) = 4
        boolean[] selective = new boolean[512];
        for (int j = 0; j < 64; j++) {
            selective[j * 8] = true;
        }
        int[] group = {0, 8, 16, 24, 32, 1, 2, 3, 4, 5};

        assertThat(ConceptRecoveryBench.enrichment(group, selective)).isEqualTo(4.0);
        assertThat(ConceptRecoveryBench.enrichment(new int[0], selective)).isNull();
        assertThat(ConceptRecoveryBench.enrichment(group, new boolean[512])).isNull();
        // a group drawn like the layer is not enriched
        assertThat(ConceptRecoveryBench.enrichment(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, selective))
                .isEqualTo(1.0);
    }
}
