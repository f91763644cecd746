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
        assertThat(Locations.work("FILE://" + dir, dir.resolve("db"), false)).isEqualTo(new WorkDir(dir));
        assertThat(Locations.work(null, dir.resolve("db"), false)).isEqualTo(new WorkDir(dir.resolve("db.work")));
        assertThat(Locations.hadoopWork("FILE://" + dir)).isNull();
        assertThat(Locations.scheme("s3a://bucket/x")).isEqualTo("s3a");
        assertThat(Locations.scheme("/tmp/x:y")).isNull();
        assertThat(Locations.local("hdfs://namenode:8020/images", "IMAGES_DIR")).isNull();
    }

    @Test
    void should_keep_the_driver_files_beside_the_store_and_the_spark_tables_under_a_hadoop_work_uri() {
        assertThat(Locations.work("hdfs://namenode:8020/graph.work", dir.resolve("db"), true))
                .isEqualTo(new WorkDir(dir.resolve("db.work")));
        assertThat(Locations.hadoopWork("hdfs://namenode:8020/graph.work"))
                .isEqualTo("hdfs://namenode:8020/graph.work");
    }

    @Test
    void should_refuse_a_hadoop_work_directory_and_hadoop_images_without_spark_with_one_line() {
        assertThatThrownBy(() -> Locations.work("hdfs://namenode:8020/graph.work", dir.resolve("db"), false))
                .isInstanceOf(BadInputException.class)
                .hasMessage("--work hdfs://namenode:8020/graph.work is a hdfs:// URI, where only ingest --spark keeps"
                        + " its tables; give --spark MASTER, or a local or shared folder");
        assertThatThrownBy(() -> Locations.images("s3a://bucket/images", null))
                .isInstanceOf(BadInputException.class)
                .hasMessage("IMAGES_DIR s3a://bucket/images is a s3a:// URI, which only ingest --spark reads (through"
                        + " Hadoop's file systems); give --spark MASTER or a local folder");
        assertThatThrownBy(() -> Locations.local("file://host/x y", "IMAGES_DIR"))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("IMAGES_DIR file://host/x y is not a usable file: URI (");
    }
}
