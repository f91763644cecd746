package hmn.demo;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a collection of {@link ConceptScenes}: the scenes as JPEG files, {@code true-captions.csv} (header
 * {@code image,caption}) and {@code concepts.csv} (header {@code image,concepts}, concepts separated by {@code ;}).
 */
public final class ConceptSceneSet {
    public static final String TRUE_CAPTIONS = "true-captions.csv";
    public static final String CONCEPTS = "concepts.csv";

    private ConceptSceneSet() {}

    public static List<ConceptScenes.Scene> write(Path dir, int count, long seed, int size) throws IOException {
        Files.createDirectories(dir);
        List<ConceptScenes.Scene> scenes = new ConceptScenes(size).generate(count, seed);
        try (Writer captions = Files.newBufferedWriter(dir.resolve(TRUE_CAPTIONS), StandardCharsets.UTF_8);
                Writer concepts = Files.newBufferedWriter(dir.resolve(CONCEPTS), StandardCharsets.UTF_8)) {
            captions.write("image,caption\n");
            concepts.write("image,concepts\n");
            for (ConceptScenes.Scene scene : scenes) {
                SampleSet.writeJpeg(scene.image(), dir.resolve(scene.name()));
                captions.write(scene.name() + "," + quoted(scene.caption()) + "\n");
                concepts.write(scene.name() + "," + ConceptScenes.join(scene.concepts()) + "\n");
            }
        }
        return scenes;
    }

    /** A CSV field: quoted (with doubled quotes) when it holds a comma, a quote or a line break. */
    static String quoted(String field) {
        return field.matches("(?s).*[\",\r\n].*") ? "\"" + field.replace("\"", "\"\"") + "\"" : field;
    }

    /** {@code ConceptSceneSet DIR COUNT SEED SIZE}: writes a collection (the training and held-out sets of models/). */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: ConceptSceneSet DIR COUNT SEED SIZE");
            System.exit(2);
        }
        List<ConceptScenes.Scene> scenes = write(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]),
                Integer.parseInt(args[3]));
        System.out.println("wrote " + scenes.size() + " scenes to " + args[0]);
    }
}
