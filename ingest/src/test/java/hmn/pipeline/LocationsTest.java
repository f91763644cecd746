package hmn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IMAGES_DIR and --work as paths, file: URIs or Hadoop URIs. */
class LocationsTest {
    @TempDir
    Path dir;

    @Test
    void should_read_a_file_uri_as_its_path_and_leave_paths_alone() {
        assertThat(Locations.local(dir.toUri().toString(), "IMAGES_DIR")).isEqualTo(dir);
        assertThat(Locations.local("file://" + dir + "/a%20b", "IMAGES_DIR")).isEqualTo(dir.resolve("a b"));
        assertThat(Locations.local("images/x", "IMAGES_DIR")).isEqualTo(Path.of("images/x"));
        assertThat(Locations.work("FILE://" + dir)).isEqualTo(dir);
        assertThat(Locations.scheme("s3a://bucket/x")).isEqualTo("s3a");
        assertThat(Locations.scheme("/tmp/x:y")).isNull();
        assertThat(Locations.local("hdfs://namenode:8020/images", "IMAGES_DIR")).isNull();
    }

    @Test
    void should_refuse_a_hadoop_work_directory_and_hadoop_images_without_spark_with_one_line() {
        assertThatThrownBy(() -> Locations.work("hdfs://namenode:8020/graph.work"))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("--work hdfs://namenode:8020/graph.work: the work directory must be a local or"
                        + " shared folder (a path or a file:// URI)")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> Locations.images("s3a://bucket/images", new WorkDir(dir), null))
                .isInstanceOf(BadInputException.class)
                .hasMessage("IMAGES_DIR s3a://bucket/images is a s3a:// URI, which only ingest --spark reads (through"
                        + " Hadoop's file systems); give --spark MASTER or a local folder");
        assertThatThrownBy(() -> Locations.local("file://host/x y", "IMAGES_DIR"))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("IMAGES_DIR file://host/x y is not a usable file: URI (");
    }
}
