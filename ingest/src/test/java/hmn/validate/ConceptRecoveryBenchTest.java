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

    @Test
    void should_refuse_a_concepts_file_that_does_not_fit_the_collection(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        hmn.demo.ConceptSceneSet.write(dir, 3, 1, 64);
        java.nio.file.Path concepts = dir.resolve("my-concepts.csv");
        java.nio.file.Files.writeString(concepts, "image,concepts\nscene_00000.jpg,day\nother.jpg,night\n");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = hmn.cli.Hmn.run(
                new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err, true),
                "bench",
                "validity",
                "--collection",
                dir.toString(),
                "--concepts",
                concepts.toString(),
                "--captions",
                dir.resolve("true-captions.csv").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines())
                .singleElement()
                .asString()
                .contains("line 3: image 'other.jpg' is not in the collection");
    }
}
