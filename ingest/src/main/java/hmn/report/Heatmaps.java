package hmn.report;

import hmn.core.BadInputException;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.images.RgbImage;
import hmn.images.UnreadableImageException;
import hmn.runtime.onnx.FeatureMaps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Neurons' spatial activation maps over images, recomputed with the model recorded for the graph (one
 * {@link FeatureMaps} per layer, built on first use). When the model cannot be rebuilt, {@link #note} says why and no
 * map is given. Maps are cached per (layer, neuron, image).
 */
public final class Heatmaps implements AutoCloseable {
    private static final int BATCH = 8;

    private final Path runJson;
    private final Path cacheDir;
    private final Path imagesDir;
    private final ImageDecoder decoder = ImageDecoder.defaults();
    private final Map<String, FeatureMaps> models = new HashMap<>();
    private final Map<String, String> notes = new HashMap<>();
    private final Map<String, Heatmap> cache = new HashMap<>();

    /**
     * One neuron's map over one image: {@code width x height} cells, row-major, and where the model's centre crop
     * lies in the image (fractions of its width and height).
     */
    public record Heatmap(
            int width, int height, float[] values, double left, double top, double cropWidth, double cropHeight) {
        /** The index of the largest cell (the lowest index among ties). */
        public int brightest() {
            int best = 0;
            for (int i = 1; i < values.length; i++) {
                if (values[i] > values[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    /**
     * @param runJson the activations' {@code run.json} (may not exist: then no maps)
     * @param imagesDir the collection's root (null: no maps)
     * @param cacheDir where published weights are cached (no download)
     */
    public Heatmaps(Path runJson, Path imagesDir, Path cacheDir) {
        this.runJson = runJson;
        this.imagesDir = imagesDir;
        this.cacheDir = cacheDir;
    }

    /** Why {@code layer}'s maps are not drawn, or null when they are. */
    public synchronized String note(String layer) {
        model(layer);
        return notes.get(layer);
    }

    private FeatureMaps model(String layer) {
        if (models.containsKey(layer) || notes.containsKey(layer)) {
            return models.get(layer);
        }
        if (imagesDir == null) {
            notes.put(layer, "no images directory given (--images), so no activation maps");
            return null;
        }
        try {
            models.put(layer, FeatureMaps.rebuild(runJson, layer, cacheDir, 0));
        } catch (BadInputException | IllegalStateException e) {
            notes.put(layer, "the model cannot be rebuilt (" + e.getMessage() + "): top images without their maps");
        }
        return models.get(layer);
    }

    /**
     * The maps of {@code neurons} of {@code layer} over each image, computed in batches for images not cached yet;
     * an image that cannot be read has no map.
     */
    public synchronized void compute(String layer, Map<String, ? extends Collection<Integer>> neuronsByImage) {
        FeatureMaps model = model(layer);
        if (model == null) {
            return;
        }
        List<String> todo = new ArrayList<>();
        neuronsByImage.forEach((image, neurons) -> {
            if (neurons.stream().anyMatch(n -> !cache.containsKey(key(layer, n, image)))) {
                todo.add(image);
            }
        });
        ImageNetPreprocessing pre = model.preprocessing();
        for (int from = 0; from < todo.size(); from += BATCH) {
            List<String> batch = todo.subList(from, Math.min(todo.size(), from + BATCH));
            float[] input = new float[batch.size() * pre.tensorSize()];
            List<String> read = new ArrayList<>();
            List<double[]> crops = new ArrayList<>();
            for (String image : batch) {
                Path file = imagesDir.resolve(image).normalize();
                try {
                    if (!file.startsWith(imagesDir.normalize()) || !Files.isRegularFile(file)) {
                        continue;
                    }
                    RgbImage rgb = decoder.decode(file);
                    pre.apply(rgb, input, read.size() * pre.tensorSize());
                    read.add(image);
                    crops.add(crop(pre, rgb.width(), rgb.height()));
                } catch (UnreadableImageException | RuntimeException e) {
                    // no map for this image; the page shows its thumbnail (or placeholder) alone
                }
            }
            if (read.isEmpty()) {
                continue;
            }
            FeatureMaps.Batch maps = model.run(input, read.size());
            for (int n = 0; n < read.size(); n++) {
                double[] c = crops.get(n);
                for (int neuron : neuronsByImage.get(read.get(n))) {
                    cache.put(
                            key(layer, neuron, read.get(n)),
                            new Heatmap(maps.width(), maps.height(), maps.map(n, neuron), c[0], c[1], c[2], c[3]));
                }
            }
        }
    }

    /** The maps of one neuron over {@code images} (those that could be computed), in the images' order. */
    public synchronized Map<String, Heatmap> maps(String layer, int neuron, List<String> images) {
        Map<String, Set<Integer>> wanted = new LinkedHashMap<>();
        for (String image : images) {
            wanted.put(image, new LinkedHashSet<>(List.of(neuron)));
        }
        compute(layer, wanted);
        Map<String, Heatmap> out = new LinkedHashMap<>();
        for (String image : images) {
            Heatmap h = cache.get(key(layer, neuron, image));
            if (h != null) {
                out.put(image, h);
            }
        }
        return out;
    }

    /** Where the centre crop of {@code pre} lies in a {@code width x height} image: left, top, width, height. */
    static double[] crop(ImageNetPreprocessing pre, int width, int height) {
        int[] resized = pre.resizedSize(width, height);
        int crop = pre.crop();
        double left = Math.round((resized[0] - crop) / 2.0);
        double top = Math.round((resized[1] - crop) / 2.0);
        return new double[] {left / resized[0], top / resized[1], (double) crop / resized[0], (double) crop / resized[1]
        };
    }

    private static String key(String layer, int neuron, String image) {
        return layer + '\u0000' + neuron + '\u0000' + image;
    }

    @Override
    public synchronized void close() {
        models.values().forEach(FeatureMaps::close);
        models.clear();
    }
}
