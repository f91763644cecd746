package hmn.demo;

import hmn.format.CsvFiles;
import java.io.IOException;
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
        for (ConceptScenes.Scene scene : scenes) {
            SampleSet.writeJpeg(scene.image(), dir.resolve(scene.name()));
        }
        CsvFiles.write(dir.resolve(TRUE_CAPTIONS), out -> {
            out.row("image", "caption");
            for (ConceptScenes.Scene scene : scenes) {
                out.row(scene.name(), scene.caption());
            }
        });
        CsvFiles.write(dir.resolve(CONCEPTS), out -> {
            out.row("image", "concepts");
            for (ConceptScenes.Scene scene : scenes) {
                out.row(scene.name(), ConceptScenes.join(scene.concepts()));
            }
        });
        return scenes;
    }

    /** {@code ConceptSceneSet DIR COUNT SEED SIZE}: writes a collection (the training and held-out sets of models/). */
    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: ConceptSceneSet DIR COUNT SEED SIZE");
            System.exit(2);
        }
        List<ConceptScenes.Scene> scenes =
                write(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
        System.out.println("wrote " + scenes.size() + " scenes to " + args[0]);
    }
}
