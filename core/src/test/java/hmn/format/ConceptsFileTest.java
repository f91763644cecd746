package hmn.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.core.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConceptsFileTest {
    static final Set<String> IMAGES = Set.of("a.jpg", "b.jpg");
    static final List<String> CONCEPTS = List.of("day", "road", "car");

    @TempDir
    Path dir;

    Path file(String text) throws Exception {
        Path f = dir.resolve("concepts.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void should_read_each_image_concepts() throws Exception {
        Map<String, List<String>> concepts =
                ConceptsFile.read(file("image,concepts\na.jpg,day;road\nb.jpg,car\n"), IMAGES, CONCEPTS);
        assertThat(concepts)
                .containsExactly(Map.entry("a.jpg", List.of("day", "road")), Map.entry("b.jpg", List.of("car")));
    }

    @Test
    void should_refuse_unknown_images_unknown_concepts_and_empty_sets() throws Exception {
        Path unknownImage = file("image,concepts\nc.jpg,day\n");
        assertThatThrownBy(() -> ConceptsFile.read(unknownImage, IMAGES, CONCEPTS))
                .isInstanceOf(BadInputException.class)
                .hasMessage(unknownImage + ": line 2: image 'c.jpg' is not in the collection; list only its images"
                        + " (paths relative to the images directory)");
        Path unknownConcept = file("image,concepts\na.jpg,day;boat\n");
        assertThatThrownBy(() -> ConceptsFile.read(unknownConcept, IMAGES, CONCEPTS))
                .hasMessage(
                        unknownConcept + ": line 2: concept 'boat' is not one the model has; it has day, road, car");
        Path empty = file("image,concepts\na.jpg,\n");
        assertThatThrownBy(() -> ConceptsFile.read(empty, IMAGES, CONCEPTS))
                .hasMessage(
                        empty + ": line 2: image 'a.jpg' has no concept; give at least one, or leave the image out");
        Path header = file("img,c\n");
        assertThatThrownBy(() -> ConceptsFile.read(header, IMAGES, CONCEPTS))
                .hasMessage(header + ": line 1: the header must be image,concepts");
    }
}
