package hmn.pipeline;

import hmn.activations.ActivationStage;
import hmn.captions.CaptionStage;
import hmn.captions.Captioner;
import hmn.core.BadInputException;
import hmn.embeddings.Embedder;
import hmn.finch.Finch;
import hmn.finch.Partitions;
import hmn.finch.torch.Kernels;
import hmn.format.CaptionRow;
import hmn.format.CaptionsFile;
import hmn.format.PartitionsFile;
import hmn.images.ImageDecoder;
import hmn.images.ImageSource;
import hmn.images.RgbImage;
import hmn.images.UnreadableImageException;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.language.cache.JsonlCache;
import hmn.language.options.BlipOptions;
import hmn.language.options.LanguageOptions;
import hmn.language.options.LanguageStages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes every artifact the graph needs that the user did not import: activations, captions, caption embeddings
 * and FINCH partitions, each into the work directory in the contract's format. A stage whose inputs are unchanged
 * since it last finished is reused; stages that stream (activations) or cache (captions) resume within themselves,
 * so a killed run loses at most one batch.
 */
public final class Pipeline {
    /**
     * What to compute. A non-null imported path skips that stage.
     *
     * @param captioner {@code --captioner} (blip, blip:DIR, openai:MODEL, ollama:MODEL)
     * @param embedder {@code --embedder} (minilm, minilm-q, openai:MODEL)
     * @param earlyExit FINCH's early exit
     * @param distributed null to run every stage in this JVM; otherwise the activations, captions and caption
     *     embeddings it computes elsewhere (on Spark) land in the work directory as this JVM's stages would write
     *     them, and these stages then find their work done
     */
    public record Settings(
            ImageSource images,
            WorkDir work,
            Path captions,
            Path embeddings,
            Path partitions,
            Path activations,
            String captioner,
            String embedder,
            boolean earlyExit,
            ActivationStage activationStage,
            LanguageOptions language,
            BlipOptions blip,
            DistributedStages distributed,
            boolean progress) {}

    /** The artifacts the graph is built from, and what each stage did. */
    public record Artifacts(
            Path captions,
            String captionModel,
            Path partitions,
            Path activations,
            List<String> images,
            Map<String, String> skipped,
            List<StageReport> stages,
            ActivationStage.Result activation) {}

    /** One stage's account: what it did ("computed", "reused", "imported"), how long it took, and a note. */
    public record StageReport(String stage, String how, long millis, String note) {}

    private final Settings s;
    private final List<StageReport> reports = new ArrayList<>();
    private final StageLedger ledger;
    private String captionModel;
    private ImageSource images;

    public Pipeline(Settings settings) {
        this.s = settings;
        this.images = settings.images();
        this.ledger = StageLedger.open(settings.work().create().ledger());
    }

    /** Runs the stages. */
    public Artifacts run() {
        boolean perImage = s.activations() == null || s.captions() == null;
        List<String> images = perImage ? inventory() : List.of();
        Stage stage = perImage(s.work(), images);
        Path partitions = s.partitions() != null ? imported("partitions", s.partitions()) : cluster(stage.captions());
        return new Artifacts(
                stage.captions(),
                captionModel,
                partitions,
                stage.activations(),
                stage.usable(),
                stage.skipped(),
                List.copyOf(reports),
                stage.activation());
    }

    /** The per-image stages' outputs. */
    private record Stage(
            Path activations,
            Path captions,
            List<String> usable,
            Map<String, String> skipped,
            ActivationStage.Result activation) {}

    /** Activations and captions of {@code images} into {@code work}. */
    private Stage perImage(WorkDir work, List<String> images) {
        ActivationStage.Result activation = null;
        Path activations = s.activations();
        Map<String, String> skipped = new LinkedHashMap<>();
        if (activations == null) {
            long t = System.nanoTime();
            activations = work.activations();
            ActivationStage.Loaded loadedHere = s.distributed() == null
                    ? null
                    : s.distributed()
                            .activations(
                                    this.images,
                                    images,
                                    work,
                                    s.activationStage().options());
            activation = s.activationStage().run(this.images, images, activations, loadedHere);
            activation.summary().skipped().forEach(k -> skipped.put(k.image(), k.reason()));
            report(
                    "activations",
                    activation.summary().stored() == 0 ? "reused" : "computed",
                    t,
                    activation.summary().stored() + " new, "
                            + activation.summary().resumed() + " from an earlier run"
                            + (s.distributed() == null ? "" : " or the Spark job") + ", " + skipped.size()
                            + " skipped; weights " + activation.provenance());
        } else {
            reports.add(new StageReport("activations", "imported", 0, activations.toString()));
        }
        List<String> usable =
                images.stream().filter(i -> !skipped.containsKey(i)).toList();
        captionModel = s.captions() != null ? "import:" + s.captions().getFileName() : null;
        Path captions = s.captions() != null ? imported("captions", s.captions()) : caption(work, usable, skipped);
        usable = usable.stream().filter(i -> !skipped.containsKey(i)).toList();
        return new Stage(activations, captions, usable, skipped, activation);
    }

    /**
     * The collection's images, sorted by id; hashes remembered in the work directory. A collection on a Hadoop file
     * system is read once here, and its caption keys come from these hashes instead of a second read.
     */
    private List<String> inventory() {
        long t0 = System.nanoTime();
        ImageInventory inventory = s.images().folder() != null
                ? ImageInventory.scan(s.images().folder(), s.work().inventory())
                : ImageInventory.scan(s.images(), s.work().inventory());
        if (inventory.size() == 0) {
            throw new BadInputException(
                    "IMAGES_DIR " + s.images().location() + " holds no images; give the folder of images");
        }
        if (s.images().folder() == null) {
            Map<String, String> sha256 = new HashMap<>();
            inventory.entries().forEach(e -> sha256.put(e.id(), e.sha256()));
            images = new Hashed(s.images(), sha256);
        }
        report("inventory", "computed", t0, inventory.size() + " files");
        return inventory.entries().stream().map(ImageInventory.Entry::id).toList();
    }

    /** A collection whose hashes the inventory already knows. */
    private record Hashed(ImageSource source, Map<String, String> sha256s) implements ImageSource {
        @Override
        public String location() {
            return source.location();
        }

        @Override
        public Path folder() {
            return source.folder();
        }

        @Override
        public List<Listed> list() throws IOException {
            return source.list();
        }

        @Override
        public InputStream open(String id) throws IOException {
            return source.open(id);
        }

        @Override
        public RgbImage decode(ImageDecoder decoder, String id) throws UnreadableImageException {
            return source.decode(decoder, id);
        }

        @Override
        public String sha256(String id) throws IOException {
            String known = sha256s.get(id);
            return known != null ? known : source.sha256(id);
        }
    }

    /** Captions {@code images}; an image the captioner could not caption goes to {@code skipped}, with why. */
    private Path caption(WorkDir work, List<String> images, Map<String, String> skipped) {
        long t = System.nanoTime();
        Path out = work.captions();
        try (Captioner captioner = openCaptioner();
                JsonlCache cache = JsonlCache.open(work.captionCache())) {
            CaptionStage stage = new CaptionStage(
                    captioner,
                    cache,
                    s.progress(),
                    s.distributed() == null
                            ? null
                            : (source, todo) ->
                                    s.distributed().captions(source, todo, s.captioner(), s.language(), s.blip()));
            List<CaptionRow> rows = stage.run(this.images, images);
            CaptionsFile.write(out, rows);
            captionModel = captioner.model();
            stage.failed().forEach((image, reason) -> skipped.put(image, "caption: " + reason));
            report(
                    "captions",
                    stage.captioned() == 0 && stage.failed().isEmpty() ? "reused" : "computed",
                    t,
                    stage.captioned() + " captioned by " + captioner.model() + ", " + stage.cached() + " cached"
                            + (stage.failed().isEmpty()
                                    ? ""
                                    : ", " + stage.failed().size() + " failed (skipped;"
                                            + " a re-run tries them again)"));
        }
        return out;
    }

    private Captioner openCaptioner() {
        try {
            return LanguageStages.captioner(s.captioner(), s.language(), s.blip());
        } catch (UncheckedIOException e) {
            throw new BadInputException(
                    "--captioner " + s.captioner() + " is not available: " + e.getMessage()
                            + "; or give --captions FILE",
                    e);
        }
    }

    private Path cluster(Path captions) {
        Path embeddings = s.embeddings() != null ? imported("embeddings", s.embeddings()) : embed(captions);
        long t = System.nanoTime();
        Path out = s.work().partitions();
        String fingerprint = StageLedger.fingerprint("finch", s.earlyExit(), captions, embeddings);
        if (ledger.isDone("partitions", fingerprint) && Files.isRegularFile(out)) {
            report("partitions", "reused", t, out.toString());
            return out;
        }
        List<CaptionRow> rows = CaptionsFile.read(captions).rows();
        FloatMatrix x = Npy.read(embeddings);
        if (x.rows() != rows.size()) {
            throw new BadInputException("embeddings " + embeddings + " have " + x.rows() + " rows but captions "
                    + captions + " have " + rows.size() + "; embed the same captions file (rows in its order)");
        }
        Partitions p = Finch.builder()
                .kernel(Kernels::fastest)
                .earlyExit(s.earlyExit())
                .build()
                .cluster(x);
        writePartitions(out, rows, p);
        ledger.markDone("partitions", fingerprint, ms(t));
        report(
                "partitions",
                "computed",
                t,
                p.levels() + " levels, clusters per level " + java.util.Arrays.toString(p.counts()));
        return out;
    }

    private Path embed(Path captions) {
        long t = System.nanoTime();
        Path out = s.work().embeddings();
        String fingerprint = StageLedger.fingerprint("embed", s.embedder(), captions);
        if (ledger.isDone("embeddings", fingerprint) && Files.isRegularFile(out)) {
            report("embeddings", "reused", t, out.toString());
            return out;
        }
        List<CaptionRow> rows = CaptionsFile.read(captions).rows();
        if (s.distributed() != null) {
            DistributedStages.Embedded e =
                    s.distributed().embed(rows.stream().map(CaptionRow::caption).toList(), s.embedder(), s.language());
            write(out, e.vectors());
            ledger.markDone("embeddings", fingerprint, ms(t));
            report(
                    "embeddings",
                    "computed",
                    t,
                    e.vectors().rows() + " x " + e.vectors().cols() + " by " + e.model() + " on Spark");
            return out;
        }
        try (Embedder embedder = LanguageStages.embedder(s.embedder(), s.language())) {
            FloatMatrix m = embedder.embedDistinct(
                    rows.stream().map(CaptionRow::caption).toList());
            Npy.write(out, m);
            ledger.markDone("embeddings", fingerprint, ms(t));
            report("embeddings", "computed", t, m.rows() + " x " + m.cols() + " by " + embedder.model());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        return out;
    }

    private static void write(Path out, FloatMatrix m) {
        try {
            Npy.write(out, m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    /** The ingest's partitions CSV: header {@code image,level_1,...}, one row per captioned image. */
    static void writePartitions(Path out, List<CaptionRow> rows, Partitions p) {
        try {
            PartitionsFile.write(out, rows.stream().map(CaptionRow::image).toList(), p.labels());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    private Path imported(String stage, Path file) {
        reports.add(new StageReport(stage, "imported", 0, file.toString()));
        return file;
    }

    private void report(String stage, String how, long startNanos, String note) {
        reports.add(new StageReport(stage, how, ms(startNanos), note));
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
