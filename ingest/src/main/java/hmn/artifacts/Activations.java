package hmn.artifacts;

import hmn.core.BadInputException;
import hmn.format.ImagePaths;
import hmn.format.TextFiles;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Activations: a directory with {@code images.txt} (one image path a line, in row order) and one
 * {@code <layer>.npy} (N x C float32) per layer.
 *
 * @param dir the directory read
 * @param images image paths in row order
 * @param layers layer name to its N x C matrix, in natural layer order (layer1, layer2, ..., layer10)
 */
public record Activations(Path dir, List<String> images, Map<String, FloatMatrix> layers) {
    private static final Pattern DIGITS = Pattern.compile("(\\D*)(\\d+)$");

    public Activations {
        images = List.copyOf(images);
        layers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layers));
    }

    /** The same activations without the rows of {@code images} (those not present are ignored). */
    public Activations without(java.util.Set<String> images) {
        if (images.isEmpty() || this.images.stream().noneMatch(images::contains)) {
            return this;
        }
        int[] keep = java.util.stream.IntStream.range(0, this.images.size())
                .filter(i -> !images.contains(this.images.get(i)))
                .toArray();
        Map<String, FloatMatrix> kept = new LinkedHashMap<>();
        layers.forEach((name, m) -> {
            float[] data = new float[keep.length * m.cols()];
            for (int r = 0; r < keep.length; r++) {
                System.arraycopy(m.data(), keep[r] * m.cols(), data, r * m.cols(), m.cols());
            }
            kept.put(name, new FloatMatrix(keep.length, m.cols(), data));
        });
        return new Activations(
                dir, java.util.Arrays.stream(keep).mapToObj(this.images::get).toList(), kept);
    }

    /** The layers available in {@code dir} (names of its .npy files), in natural order. */
    public static List<String> availableLayers(Path dir) {
        Artifacts.requireReadableDirectory(dir, "--activations");
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".npy"))
                    .map(n -> n.substring(0, n.length() - 4))
                    .sorted(LAYER_ORDER)
                    .toList();
        } catch (IOException e) {
            throw new BadInputException(
                    dir + ": cannot list the directory (" + e.getMessage() + "); check permissions");
        }
    }

    /** Natural order of layer names: "layer2" before "layer10". */
    public static final Comparator<String> LAYER_ORDER = (a, b) -> {
        Matcher ma = DIGITS.matcher(a);
        Matcher mb = DIGITS.matcher(b);
        if (ma.find() && mb.find() && ma.group(1).equals(mb.group(1))) {
            return new java.math.BigInteger(ma.group(2)).compareTo(new java.math.BigInteger(mb.group(2)));
        }
        return a.compareTo(b);
    };

    /**
     * Reads the directory. {@code wanted} selects layers (empty = every .npy file). Every matrix must have one row
     * per line of images.txt and finite values.
     */
    public static Activations read(Path dir, List<String> wanted) {
        List<String> available = availableLayers(dir);
        Path list = dir.resolve("images.txt");
        List<String> images = readImageList(list);
        if (available.isEmpty()) {
            throw new BadInputException(dir + ": holds no <layer>.npy file; write one N x C float32 matrix per layer");
        }
        List<String> chosen = wanted.isEmpty() ? available : wanted;
        Map<String, FloatMatrix> layers = new LinkedHashMap<>();
        for (String layer : chosen) {
            if (!available.contains(layer)) {
                throw new BadInputException("--layers: unknown layer '" + layer + "': " + dir + " has no " + layer
                        + ".npy; available layers: " + available);
            }
            if (layers.containsKey(layer)) {
                throw new BadInputException("--layers: layer '" + layer + "' is listed twice; list each layer once");
            }
            if (!layer.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw new BadInputException(dir.resolve(layer + ".npy") + ": layer name '" + layer
                        + "' must be letters, digits, '_' or '.'; rename the file");
            }
            Path file = dir.resolve(layer + ".npy");
            FloatMatrix m = Npy.read(file);
            if (m.rows() != images.size()) {
                throw new BadInputException(file + ": has " + m.rows() + " rows but " + list + " lists " + images.size()
                        + " images; row i must hold the activations of line i of images.txt");
            }
            requireFinite(file, m, images);
            layers.put(layer, m);
        }
        return new Activations(dir, images, layers);
    }

    private static void requireFinite(Path file, FloatMatrix m, List<String> images) {
        float[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                int row = i / m.cols();
                int col = i % m.cols();
                throw new BadInputException(file + ": row " + (row + 1) + " (image '" + images.get(row) + "'), channel "
                        + col + " is " + d[i] + "; activations must be finite: re-extract that image's activations");
            }
        }
    }

    static List<String> readImageList(Path file) {
        String text = TextFiles.read(file);
        String[] lines = text.split("\n", -1);
        List<String> images = new ArrayList<>(lines.length);
        Map<String, Integer> seen = new HashMap<>(lines.length * 2);
        int last = lines.length;
        while (last > 0 && lines[last - 1].strip().isEmpty()) {
            last--;
        }
        for (int i = 0; i < last; i++) {
            String image = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (i == 0 && image.startsWith("\uFEFF")) {
                image = image.substring(1);
            }
            String problem = ImagePaths.problem(image);
            if (problem != null) {
                throw new BadInputException(file + ": line " + (i + 1) + ": " + problem);
            }
            Integer before = seen.putIfAbsent(image, i + 1);
            if (before != null) {
                throw new BadInputException(file + ": line " + (i + 1) + ": image '" + image
                        + "' is listed again (first on line " + before + "); list each image once");
            }
            images.add(image);
        }
        if (images.isEmpty()) {
            throw new BadInputException(file + ": lists no images; write one image path a line, in row order");
        }
        return images;
    }
}
