package hmn.artifacts;

import hmn.format.CaptionRow;
import hmn.format.CaptionsFile;
import hmn.format.PartitionsFile;
import hmn.group.GroupConfig;
import hmn.io.FileTrees;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A generated artifact set with real structure, for the demo, the tests and the benchmark: a nested partition,
 * captions whose words follow the clusters (a level-1 word, a subject, a place, ...), and activations in which every
 * cluster at every level has its own signature channels per layer, so an image activates the signatures of all its
 * clusters and the neuron groups nest the way the method expects.
 */
public final class SyntheticCollection {
    private static final String[][] WORDS = {
        {"snowy", "sunny", "misty", "rainy", "dusky", "bright", "dark", "golden", "frosty", "windy", "quiet", "busy"},
        {"red", "white", "black", "brown", "spotted", "striped", "young", "old", "small", "large", "wet", "sleepy"},
        {"dog", "cat", "horse", "bicycle", "car", "boat", "bird", "child", "tree", "tent", "train", "table"},
        {"running", "resting", "parked", "standing", "floating", "waiting", "playing", "crossing", "eating", "climbing"
        },
        {"forest", "beach", "city", "kitchen", "mountain", "harbour", "garden", "desert", "station", "field"},
        {"morning", "evening", "winter", "summer", "autumn", "spring"},
    };
    private static final String[] EXTRAS = {
        "", " at dusk", " with a blurry background", " seen from above", " next to a fence", " in soft light"
    };

    private final int images;
    private final int[] clustersPerLevel;
    private final Map<String, Integer> layers;
    private final long seed;
    private final boolean writeImages;

    private SyntheticCollection(Builder b) {
        this.images = b.images;
        this.clustersPerLevel = b.clustersPerLevel.clone();
        this.layers = new LinkedHashMap<>(b.layers);
        this.seed = b.seed;
        this.writeImages = b.writeImages;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options, with the demo's defaults: 240 images, 3 levels (24, 6, 2 clusters), ResNet18's four stages. */
    public static final class Builder {
        private int images = 240;
        private int[] clustersPerLevel = {24, 6, 2};
        private final Map<String, Integer> layers = new LinkedHashMap<>();
        private long seed = 42;
        private boolean writeImages = true;

        private Builder() {
            layers.put("layer1", 64);
            layers.put("layer2", 128);
            layers.put("layer3", 256);
            layers.put("layer4", 512);
        }

        public Builder images(int images) {
            this.images = images;
            return this;
        }

        /** Cluster counts from level 1 up; each must be at most the one below it. */
        public Builder clustersPerLevel(int... counts) {
            this.clustersPerLevel = counts.clone();
            return this;
        }

        public Builder layers(Map<String, Integer> channels) {
            layers.clear();
            layers.putAll(channels);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Whether to write a small PNG per image (default true; the benchmark skips it). */
        public Builder writeImages(boolean writeImages) {
            this.writeImages = writeImages;
            return this;
        }

        public SyntheticCollection build() {
            if (clustersPerLevel.length == 0 || clustersPerLevel[0] > images) {
                throw new IllegalArgumentException("need at least one level and at most one level-1 cluster per image");
            }
            for (int l = 1; l < clustersPerLevel.length; l++) {
                if (clustersPerLevel[l] < 1 || clustersPerLevel[l] > clustersPerLevel[l - 1]) {
                    throw new IllegalArgumentException("level " + (l + 1) + " needs 1 to " + clustersPerLevel[l - 1]
                            + " clusters, got " + clustersPerLevel[l]);
                }
            }
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("need at least one layer");
            }
            return new SyntheticCollection(this);
        }
    }

    /** Where a written set lies. */
    public record Files(Path images, Path captions, Path partitions, Path activations) {}

    /**
     * Empties {@code dir} for a new sample set: refuses (bad input) a non-empty directory that does not hold one, so
     * that a mistyped path never deletes anything else.
     */
    public static void clear(Path dir, String option) throws IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        boolean empty;
        try (var entries = java.nio.file.Files.list(dir)) {
            empty = entries.findAny().isEmpty();
        }
        if (!empty
                && !(java.nio.file.Files.isRegularFile(dir.resolve("captions.csv"))
                        && java.nio.file.Files.isRegularFile(dir.resolve("partitions.csv"))
                        && java.nio.file.Files.isDirectory(dir.resolve("activations")))) {
            throw new hmn.core.BadInputException(option + " " + dir + ": exists and does not hold a generated sample"
                    + " set; choose a new directory or remove it");
        }
        FileTrees.delete(dir);
    }

    /** Writes images/, captions.csv, partitions.csv and activations/ under {@code dir}. */
    public Files writeTo(Path dir) throws IOException {
        int levels = clustersPerLevel.length;
        SplittableRandom random = new SplittableRandom(seed);
        int[][] labels = new int[levels][images];
        for (int i = 0; i < images; i++) {
            labels[0][i] = i < clustersPerLevel[0] ? i : random.nextInt(clustersPerLevel[0]);
        }
        int[][] parent = new int[levels][];
        for (int l = 1; l < levels; l++) {
            parent[l] = new int[clustersPerLevel[l - 1]];
            for (int c = 0; c < parent[l].length; c++) {
                parent[l][c] = c % clustersPerLevel[l];
            }
            for (int i = 0; i < images; i++) {
                labels[l][i] = parent[l][labels[l - 1][i]];
            }
        }
        List<String> paths = new ArrayList<>(images);
        int width = String.valueOf(images - 1).length();
        for (int i = 0; i < images; i++) {
            int top = labels[levels - 1][i];
            paths.add(WORDS[4][top % WORDS[4].length] + "/img" + String.format("%0" + width + "d", i) + ".png");
        }
        Path imageDir = dir.resolve("images");
        Path captions = dir.resolve("captions.csv");
        Path partitions = dir.resolve("partitions.csv");
        Path activations = dir.resolve("activations");
        java.nio.file.Files.createDirectories(imageDir);
        java.nio.file.Files.createDirectories(activations);
        List<CaptionRow> rows = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            rows.add(new CaptionRow(paths.get(i), caption(labels, i, random)));
        }
        CaptionsFile.write(captions, rows);
        PartitionsFile.write(partitions, paths, labels);
        java.nio.file.Files.write(
                activations.resolve("images.txt"), (String.join("\n", paths) + "\n").getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, Integer> layer : layers.entrySet()) {
            Npy.write(
                    activations.resolve(layer.getKey() + ".npy"),
                    activations(labels, layer.getKey(), layer.getValue()));
        }
        if (writeImages) {
            for (int i = 0; i < images; i++) {
                writePng(imageDir.resolve(paths.get(i)), labels, i);
            }
        }
        return new Files(imageDir, captions, partitions, activations);
    }

    private String caption(int[][] labels, int image, SplittableRandom random) {
        int levels = labels.length;
        List<String> words = new ArrayList<>();
        // level 1 is the most specific word, the top level the place
        String place = word(4, labels[levels - 1][image]);
        String subject = levels >= 2 ? word(2, labels[levels - 2][image]) : "scene";
        List<String> modifiers = new ArrayList<>();
        int[] lists = {0, 1, 3, 5};
        for (int l = 0; l < levels - 2; l++) {
            modifiers.add(word(lists[Math.min(l, lists.length - 1)], labels[l][image]));
        }
        words.add("a");
        for (int m = modifiers.size() - 1; m >= 0; m--) {
            words.add(modifiers.get(m));
        }
        words.add(subject);
        words.add("in the");
        words.add(place);
        return String.join(" ", words) + EXTRAS[random.nextInt(EXTRAS.length)];
    }

    private static final String[] QUALIFIERS = {
        "", "very ", "slightly ", "partly ", "mostly ", "rather ", "oddly ", "fairly "
    };

    private static String word(int list, int label) {
        String[] w = WORDS[list];
        return QUALIFIERS[(label / w.length) % QUALIFIERS.length] + w[label % w.length];
    }

    /** Signature channels of a cluster in a layer: a few channels chosen by the cluster's id. */
    private int[] signature(int level, int label, String layer, int channels, int perCluster) {
        SplittableRandom r =
                new SplittableRandom(seed * 31 + ((long) level << 40) + ((long) label << 8) + layer.hashCode());
        int[] s = new int[perCluster];
        for (int i = 0; i < perCluster; i++) {
            s[i] = r.nextInt(channels);
        }
        return s;
    }

    private FloatMatrix activations(int[][] labels, String layer, int channels) {
        int levels = labels.length;
        int k = GroupConfig.DEFAULTS.k(channels);
        int perCluster = Math.max(1, k / (levels + 1));
        FloatMatrix m = FloatMatrix.zeros(images, channels);
        float[] d = m.data();
        SplittableRandom noise = new SplittableRandom(seed ^ layer.hashCode());
        Map<Long, int[]> signatures = new java.util.HashMap<>();
        for (int i = 0; i < images; i++) {
            int base = i * channels;
            for (int c = 0; c < channels; c++) {
                d[base + c] = (float) Math.abs(noise.nextGaussian() * 0.5);
            }
            for (int l = 0; l < levels; l++) {
                int label = labels[l][i];
                int level = l;
                int[] s = signatures.computeIfAbsent(((long) l << 32) | label, key -> {
                    int[] sig = signature(level, label, layer, channels, perCluster);
                    if (level == levels - 1 && label == 0 && channels > 412) {
                        sig[0] = 412; // the README's and cypher/examples' neuron 412 belongs to the first top concept
                    }
                    return sig;
                });
                float boost = 2.0f + 0.25f * (levels - l);
                for (int c : s) {
                    if (noise.nextDouble() < 0.85) {
                        d[base + c] += boost;
                    }
                }
            }
        }
        return m;
    }

    private static void writePng(Path file, int[][] labels, int image) throws IOException {
        java.nio.file.Files.createDirectories(file.getParent());
        int levels = labels.length;
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        float hue = (labels[levels - 1][image] * 0.618f) % 1f;
        g.setColor(Color.getHSBColor(hue, 0.5f, 0.9f));
        g.fillRect(0, 0, 32, 32);
        g.setColor(Color.getHSBColor((labels[0][image] * 0.381f) % 1f, 0.8f, 0.5f));
        int size = 8 + (labels[0][image] % 4) * 4;
        g.fillOval(16 - size / 2, 16 - size / 2, size, size);
        g.dispose();
        try {
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
