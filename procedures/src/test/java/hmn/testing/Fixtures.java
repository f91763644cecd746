package hmn.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Graphs small enough to check by hand. */
public final class Fixtures {

    private Fixtures() {}

    /**
     * Ten images, three levels, layers layer1 (8 channels) and layer2 (4 channels). With top = 0.25, each image
     * activates exactly the two layer1 channels listed (k = 2) and one layer2 channel:
     *
     * <pre>
     * L3-0 -> L2-0 -> L1-0: images 0..3 {0,1} {0,2} {0,1} {3,4}  layer1 group {0 (3/4), 1 (2/4)}
     *              -> L1-1: images 4..6 {0,5} {1,5} {1,6}        layer1 group {1 (2/3), 5 (2/3)}
     *      -> L2-1 -> L1-2: images 7..9 {1,7} {1,7} {2,7}        layer1 group {1 (2/3), 7 (3/3)}
     * </pre>
     *
     * layer2's channel is the image's level-1 label (0, 1 or 2), so each level-1 group in layer2 is that channel.
     */
    public static TestGraph small(String generation) {
        int[][] hot = {{0, 1}, {0, 2}, {0, 1}, {3, 4}, {0, 5}, {1, 5}, {1, 6}, {1, 7}, {1, 7}, {2, 7}};
        int[] level1 = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
        int[] level2 = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
        float[][] layer1 = new float[hot.length][8];
        float[][] layer2 = new float[hot.length][4];
        int[][] labels = new int[hot.length][];
        for (int i = 0; i < hot.length; i++) {
            for (int channel : hot[i]) {
                layer1[i][channel] = 1 + channel + i / 100f;
            }
            layer2[i][level1[i]] = 1 + i;
            labels[i] = new int[] {level1[i], level2[i], 0};
        }
        Map<String, float[][]> layers = new LinkedHashMap<>();
        layers.put("layer1", layer1);
        layers.put("layer2", layer2);
        List<String> ids = IntStream.range(0, hot.length)
                .mapToObj(i -> "img/" + i + ".jpg")
                .toList();
        return new TestGraph(ids, layers, labels, generation);
    }
}
