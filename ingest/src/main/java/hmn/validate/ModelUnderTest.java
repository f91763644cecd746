package hmn.validate;

import hmn.core.BadInputException;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.images.UnreadableImageException;
import hmn.io.FloatMatrix;
import hmn.pipeline.ImageInventory;
import hmn.plugin.GraphSnapshot;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.onnx.AblatableNetwork;
import hmn.runtime.onnx.MaskedOnnxModel;
import hmn.runtime.onnx.SplitResNet;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.Tensor;
import hmn.runtime.weights.WeightsSource;
import hmn.schema.Schema;
import hmn.server.Store;
import hmn.validity.AblationEffects;
import hmn.validity.LinearAblation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

/**
 * The model a graph was built with, as {@code hmn validate} ablates it: read from the graph's Model node and checked
 * against what the user gives (a catalogue ResNet's weights, regenerated from their seed or with the recorded
 * sha256; a user's ONNX file with the recorded sha256), and the ablation effects of any of its layers: layer4 of a
 * catalogue ResNet exactly from the stored activations ({@link LinearAblation}), its earlier stages and any layer of
 * an ONNX model by running the network on the images ({@link ForwardAblation}).
 */
final class ModelUnderTest {
    /** Layers whose ablation the output reads linearly, for the catalogue ResNets. */
    static final Set<String> LINEAR_LAYERS = Set.of("layer4");
    /** Layers whose ablation runs the rest of the network ({@link ForwardAblation}). */
    static final Set<String> FORWARD_LAYERS = Set.of("layer1", "layer2", "layer3");
    /** Memory for the feature maps that forward ablation keeps. */
    private static final long FEATURE_CACHE_BYTES = 512L << 20;

    private static final Pattern SEED = Pattern.compile("^random:seed=(-?\\d+)");
    private static final Pattern SHA = Pattern.compile("sha256=([0-9a-f]{8,64})");

    /** The Model node's name and weights provenance. */
    record Recorded(String name, String weights, boolean random) {
        static Recorded read(Store store) {
            try (Transaction tx = store.db().beginTx();
                    var it = tx.findNodes(Label.label(Schema.MODEL))) {
                if (!it.hasNext()) {
                    throw new BadInputException("the graph in --db has no Model node; it was not built from a model's"
                            + " activations, so there is nothing to ablate");
                }
                Node node = it.next();
                return new Recorded(
                        String.valueOf(node.getProperty("name", "")),
                        String.valueOf(node.getProperty("weights", "")),
                        Boolean.TRUE.equals(node.getProperty("randomWeights", false)));
            }
        }
    }

    /** What the user gave: --model, --weights, --images, whether --randomization runs, the ingest's inventory. */
    record Given(
            Path modelFile, Path weightsFile, Path images, boolean randomization, Path inventory, boolean progress) {}

    /** Ablation effects of one layer and what to close when done. */
    record Effects(AblationEffects effects, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Recorded recorded;
    private final Given given;
    private final Map<String, Tensor> weights;
    private final Path onnxFile;
    /** The graph's image ids in row order, once --images was checked against them (hashing every image once). */
    private List<String> unmovedIds;

    private ModelUnderTest(Recorded recorded, Given given, Map<String, Tensor> weights, Path onnxFile) {
        this.recorded = recorded;
        this.given = given;
        this.weights = weights;
        this.onnxFile = onnxFile;
    }

    /** The recorded model, checked against what was given for {@code layers}; a mismatch is bad input. */
    static ModelUnderTest of(Recorded recorded, Given given, List<String> layers) {
        if (recorded.weights().startsWith("onnx:")) {
            return new ModelUnderTest(recorded, given, null, onnxFile(recorded, given));
        }
        if (recorded.weights().startsWith("torchscript:")) {
            throw new BadInputException("the graph was built from the TorchScript model " + recorded.name() + ";"
                    + " hmn validate ablates catalogue ResNets and ONNX files: export the model with"
                    + " torch.onnx.export, ingest that, and validate with --model FILE.onnx");
        }
        requireCatalogueLayers(recorded, given, layers);
        return new ModelUnderTest(recorded, given, weights(recorded, given), null);
    }

    String name() {
        return recorded.name();
    }

    /** The recorded weights' provenance (a seed or a checksum). */
    String provenance() {
        return recorded.weights();
    }

    /** A catalogue model's weights; null for an ONNX file, which carries its own. */
    Map<String, Tensor> weights() {
        return weights;
    }

    /** A catalogue ResNet's layers: layer4 (exact, from the graph) and layer1..layer3 (forward, needing images). */
    private static void requireCatalogueLayers(Recorded recorded, Given given, List<String> layers) {
        if (given.modelFile() != null) {
            throw new BadInputException("--model " + given.modelFile() + ": the graph was built with the catalogue"
                    + " model '" + recorded.name() + "'; leave --model out (use --weights for its weights file)");
        }
        for (String layer : layers) {
            if (!LINEAR_LAYERS.contains(layer) && !FORWARD_LAYERS.contains(layer)) {
                throw new BadInputException("--layers " + layer + ": hmn validate ablates the stages of the catalogue"
                        + " ResNets (layer1, layer2, layer3, layer4); give one of them");
            }
            if (FORWARD_LAYERS.contains(layer) && given.images() == null) {
                throw new BadInputException("--layers " + layer + " needs --images DIR (the collection the graph was"
                        + " built from): its ablation runs the rest of the network on the images");
            }
        }
    }

    /** The user's ONNX file the graph was built from: given with --model, with the recorded sha256. */
    private static Path onnxFile(Recorded recorded, Given given) {
        Path file = given.modelFile();
        if (file == null) {
            throw new BadInputException("the graph was built from the ONNX model " + recorded.name() + "; give it with"
                    + " --model FILE (and the images with --images DIR)");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(
                    "--model " + file + ": no such file; give the ONNX file the graph was built from");
        }
        if (given.weightsFile() != null || given.randomization()) {
            throw new BadInputException((given.weightsFile() != null ? "--weights" : "--randomization") + " applies to"
                    + " catalogue models; an ONNX file carries its own weights and its architecture is not known");
        }
        if (given.images() == null) {
            throw new BadInputException("--model " + file + " needs --images DIR (the collection the graph was"
                    + " built from): ablations inside an ONNX model run it on the images");
        }
        Matcher sha = SHA.matcher(recorded.weights());
        String got = WeightsSource.sha256(file);
        if (!sha.find() || !(got.startsWith(sha.group(1)) || sha.group(1).startsWith(got))) {
            throw new BadInputException("--model " + file + " (sha256 " + got + ") is not the model the graph"
                    + " was built with (" + recorded.weights() + "); give that file");
        }
        return file;
    }

    /** The recorded catalogue model's weights, checked against the recorded provenance. */
    private static Map<String, Tensor> weights(Recorded model, Given given) {
        ModelSpec modelSpec;
        try {
            modelSpec = ModelCatalogue.get(model.name());
        } catch (BadInputException e) {
            throw new BadInputException("the graph's model '" + model.name() + "' is not in the catalogue; hmn validate"
                    + " ablates catalogue ResNets (" + String.join(", ", ModelCatalogue.names()) + ") and ONNX files");
        }
        Path weightsFile = given.weightsFile();
        Matcher seedMatch = SEED.matcher(model.weights());
        if (seedMatch.find()) {
            if (weightsFile != null) {
                throw new BadInputException("--weights " + weightsFile + ": the graph was built with " + model.weights()
                        + ", which hmn regenerates; leave --weights out");
            }
            return WeightsSource.random(ResNetArchitecture.of(modelSpec), Long.parseLong(seedMatch.group(1)))
                    .tensors();
        }
        Matcher recorded = SHA.matcher(model.weights());
        if (!recorded.find()) {
            throw new BadInputException("the graph's Model node records weights '" + model.weights() + "' without a"
                    + " checksum; hmn validate cannot tell which weights made the activations");
        }
        WeightsSource.Loaded loaded = weightsFile != null
                ? WeightsSource.file(weightsFile)
                : WeightsSource.builder().progress(given.progress()).build().published(modelSpec);
        Matcher got = SHA.matcher(loaded.provenance());
        if (!got.find()
                || !(got.group(1).startsWith(recorded.group(1))
                        || recorded.group(1).startsWith(got.group(1)))) {
            throw new BadInputException("the weights (" + loaded.provenance() + ") differ from the ones the graph was"
                    + " built with (" + model.weights() + "); pass those with --weights FILE");
        }
        return loaded.tensors();
    }

    /**
     * The graph's image ids in row order, after checking that every one is still under --images, unchanged since
     * ingest (its sha256 against inventory.tsv); checked on the first call only, so a run that ablates several layers
     * and runs the randomisation check hashes the collection once.
     */
    List<String> requireImagesUnmoved(GraphSnapshot snapshot) {
        if (unmovedIds == null) {
            List<String> ids = new ArrayList<>();
            for (int r = 0; r < snapshot.hierarchy().imageCount(); r++) {
                ids.add(snapshot.imageId(r));
            }
            requireUnmoved(given.images(), ids, given.inventory());
            unmovedIds = List.copyOf(ids);
        }
        return unmovedIds;
    }

    /** Every image the graph holds must still be under {@code images}, unchanged since ingest (inventory.tsv). */
    private static void requireUnmoved(Path images, List<String> ids, Path inventory) {
        Map<String, ImageInventory.Entry> recorded = ImageInventory.readCache(inventory);
        for (String id : ids) {
            Path file = images.resolve(id);
            if (!Files.isRegularFile(file)) {
                throw new BadInputException("--images " + images + ": " + id + " is missing; the images moved since"
                        + " ingest: pass the directory the graph was built from");
            }
            ImageInventory.Entry expected = recorded.get(id);
            try {
                if (expected != null && !expected.sha256().equals(ImageInventory.sha256(file))) {
                    throw new BadInputException("--images " + images + ": " + id + " changed since ingest (sha256"
                            + " differs from " + inventory + "); the check needs the images the graph was built from");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The ablation effects of {@code layer} for {@code weights} (this model's, or the randomisation check's) with
     * {@code replacement} r_j: layer4's exact ablation from the pooled activations and fc, or by running the network
     * on the images (checked unchanged since ingest).
     */
    Effects effects(
            GraphSnapshot snapshot,
            GraphSnapshot.Layer layer,
            Map<String, Tensor> weights,
            float[] replacement,
            FloatMatrix pooled) {
        if (onnxFile == null && LINEAR_LAYERS.contains(layer.name())) {
            Tensor fc = weights.get("fc.weight");
            FloatMatrix w = new FloatMatrix((int) fc.shape()[0], (int) fc.shape()[1], fc.data());
            if (layer.channels() != w.cols()) {
                throw new BadInputException("--layers " + layer.name() + " has " + layer.channels() + " channels but"
                        + " the model's fc reads " + w.cols() + "; the graph was not built with this model");
            }
            LinearAblation linear = new LinearAblation(w, weights.get("fc.bias").data(), replacement);
            return new Effects(linear.on(pooled), null);
        }
        AblatableNetwork net;
        ImageNetPreprocessing preprocessing;
        if (onnxFile != null) {
            preprocessing = ImageNetPreprocessing.IMAGENET;
            net = MaskedOnnxModel.load(onnxFile, layer.name(), preprocessing.crop(), 0);
        } else {
            ModelSpec spec = ModelCatalogue.get(recorded.name());
            preprocessing = spec.preprocessing().toTransform();
            net = SplitResNet.of(spec, weights, layer.name(), 0);
        }
        try {
            if (net.channels() != layer.channels()) {
                throw new BadInputException("--layers " + layer.name() + " has " + layer.channels() + " channels in"
                        + " the graph but " + net.channels() + " in the model; the graph was not built with this"
                        + " model");
            }
            List<String> ids = requireImagesUnmoved(snapshot);
            ImageDecoder decoder = ImageDecoder.defaults();
            IntFunction<float[]> image = row -> {
                Path file = given.images().resolve(ids.get(row));
                try {
                    return preprocessing.apply(decoder.decode(file));
                } catch (UnreadableImageException e) {
                    throw new BadInputException("--images: " + file + " cannot be read (" + e.getMessage() + ")", e);
                }
            };
            ForwardAblation forward = new ForwardAblation(net, image, replacement, FEATURE_CACHE_BYTES);
            return new Effects(forward, forward);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }
}
