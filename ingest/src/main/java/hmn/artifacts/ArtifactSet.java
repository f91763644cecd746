package hmn.artifacts;

import hmn.core.BadInputException;
import hmn.format.Captions;
import hmn.format.Partitions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The captions, the partition and the activations of one image collection, checked against each other and aligned
 * on the activation rows: entry i of every array belongs to line i of images.txt.
 *
 * @param images image paths in activation row order
 * @param captions the caption of each image
 * @param labels {@code labels[l][i]}: image i's cluster label at level l + 1
 * @param activations the activation matrices
 */
public record ArtifactSet(List<String> images, String[] captions, int[][] labels, Activations activations) {

    /** Checks that the three artifacts hold the same images, each once, and aligns them. */
    public static ArtifactSet align(Captions captions, Partitions partitions, Activations activations) {
        List<String> images = activations.images();
        Path list = activations.dir().resolve("images.txt");
        Map<String, Integer> row = new HashMap<>(images.size() * 2);
        for (int i = 0; i < images.size(); i++) {
            row.put(images.get(i), i);
        }
        String[] text = new String[images.size()];
        for (int j = 0; j < captions.size(); j++) {
            Integer i = row.get(captions.images().get(j));
            if (i == null) {
                throw notIn(
                        captions.source(),
                        captions.lines()[j],
                        captions.images().get(j),
                        list);
            }
            text[i] = captions.texts().get(j);
        }
        int[][] labels = new int[partitions.levels()][images.size()];
        boolean[] labelled = new boolean[images.size()];
        for (int j = 0; j < partitions.images().size(); j++) {
            Integer i = row.get(partitions.images().get(j));
            if (i == null) {
                throw notIn(
                        partitions.source(),
                        partitions.lines()[j],
                        partitions.images().get(j),
                        list);
            }
            labelled[i] = true;
            for (int l = 0; l < labels.length; l++) {
                labels[l][i] = partitions.labels()[l][j];
            }
        }
        for (int i = 0; i < images.size(); i++) {
            if (text[i] == null) {
                throw new BadInputException(list + ": line " + (i + 1) + ": image '" + images.get(i)
                        + "' has no caption in " + captions.source() + "; add its caption or remove it from "
                        + "every artifact");
            }
            if (!labelled[i]) {
                throw new BadInputException(list + ": line " + (i + 1) + ": image '" + images.get(i)
                        + "' has no row in " + partitions.source() + "; add its cluster labels or remove it from "
                        + "every artifact");
            }
        }
        return new ArtifactSet(images, text, labels, activations);
    }

    private static BadInputException notIn(Path file, int line, String image, Path list) {
        return new BadInputException(file + ": line " + line + ": image '" + image + "' is not in " + list
                + "; every image needs a caption, a partition row and an activation row: add it there or remove it"
                + " here");
    }

    public int size() {
        return images.size();
    }

    public int levels() {
        return labels.length;
    }
}
