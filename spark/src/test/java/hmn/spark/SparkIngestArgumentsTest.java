package hmn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The spark-submit entry point runs ingest on spark-submit's master unless --spark names another. */
class SparkIngestArgumentsTest {
    @Test
    void should_add_the_submitted_master_unless_spark_is_given() {
        assertThat(SparkIngest.arguments(new String[] {"images", "--db", "g"}, "spark://h:7077"))
                .containsExactly("ingest", "images", "--db", "g", "--spark", "spark://h:7077");
        assertThat(SparkIngest.arguments(new String[] {"images", "--spark", "local[2]"}, "spark://h:7077"))
                .containsExactly("ingest", "images", "--spark", "local[2]");
        assertThat(SparkIngest.arguments(new String[] {"images", "--spark=local[1]"}, "yarn"))
                .containsExactly("ingest", "images", "--spark=local[1]");
        assertThat(SparkIngest.arguments(new String[] {"images"}, null)).containsExactly("ingest", "images");
    }
}
