package hmn.captions;

import hmn.format.CaptionRow;
import hmn.images.ImageSource;
import hmn.images.UnreadableImageException;
import hmn.language.cache.Hashing;
import hmn.language.cache.JsonlCache;
import hmn.progress.ProgressBars;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import me.tongfei.progressbar.ProgressBar;

/**
 * Captions a collection with any {@link Captioner}, in the captioner's batch size, with a progress bar. Captions
 * are cached by image content: key = SHA-256 of (captioner model, SHA-256 of the file's bytes), so a re-run, a
 * renamed image or a duplicate is captioned once; the cache is synced after every batch.
 */
public final class CaptionStage {
    /**
     * Captions elsewhere than in this JVM (on Spark) the images no cache holds: given one image for each content key,
     * in order, it returns each key's outcome, as this stage's captioner would have given it.
     */
    @FunctionalInterface
    public interface Elsewhere {
        Map<String, Captioner.Outcome> caption(ImageSource images, Map<String, String> imageOfKey);
    }

    private final Captioner captioner;
    private final JsonlCache cache;
    private final boolean progress;
    private final Elsewhere elsewhere;
    private int captioned;
    private int cached;
    private final Map<String, String> failed = new LinkedHashMap<>();

    public CaptionStage(Captioner captioner, JsonlCache cache, boolean progress) {
        this(captioner, cache, progress, null);
    }

    /**
     * A stage whose uncached images are captioned {@code elsewhere} (null: here); the captioner then only names the
     * model, for the cache keys and the captions' provenance.
     */
    public CaptionStage(Captioner captioner, JsonlCache cache, boolean progress, Elsewhere elsewhere) {
        this.captioner = Objects.requireNonNull(captioner, "captioner");
        this.cache = cache;
        this.progress = progress;
        this.elsewhere = elsewhere;
    }

    /** Images sent to the captioner in the last run. */
    public int captioned() {
        return captioned;
    }

    /**
     * Images of the last run that got no caption, with the reason: they are left out of its rows and not cached, so
     * the next run tries them again.
     */
    public Map<String, String> failed() {
        return java.util.Collections.unmodifiableMap(failed);
    }

    /** Images served from the cache in the last run. */
    public int cached() {
        return cached;
    }

    /**
     * One caption per image, in the order of {@code images} (paths relative to {@code imagesDir}); an image the
     * captioner could not caption has no row and is listed in {@link #failed()}.
     */
    public List<CaptionRow> run(Path imagesDir, List<String> images) {
        return run(ImageSource.folder(imagesDir), images);
    }

    /** {@link #run(Path, List)} over the images of {@code source}, by id. */
    public List<CaptionRow> run(ImageSource source, List<String> images) {
        captioned = 0;
        cached = 0;
        failed.clear();
        Map<String, String> failedKeys = new LinkedHashMap<>();
        Map<String, String> keyOf = new LinkedHashMap<>();
        Map<String, String> captionOf = new LinkedHashMap<>();
        Map<String, String> todo = new LinkedHashMap<>(); // key -> one image with that content
        for (String image : images) {
            String key;
            try {
                key = Hashing.key(captioner.model(), source.sha256(image));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read image " + source.location() + "/" + image + ": " + e.getMessage(), e);
            }
            keyOf.put(image, key);
            String hit = cache == null ? null : cache.get(key).orElse(null);
            if (hit != null) {
                captionOf.put(key, hit);
                cached++;
            } else {
                todo.putIfAbsent(key, image);
            }
        }
        if (elsewhere != null && !todo.isEmpty()) {
            Map<String, Captioner.Outcome> outcomes = elsewhere.caption(source, todo);
            for (Map.Entry<String, String> e : todo.entrySet()) {
                Captioner.Outcome outcome = outcomes.get(e.getKey());
                if (outcome == null) {
                    throw new IllegalStateException("no caption came back for " + e.getValue());
                }
                record(e.getKey(), e.getValue(), outcome, captionOf, failedKeys);
            }
            if (cache != null) {
                cache.flush();
            }
            todo.clear();
        }
        ProgressBar bar = ProgressBars.optional(progress, "captions " + captioner.model(), todo.size(), "images");
        try {
            List<Map.Entry<String, String>> pending = new ArrayList<>(todo.entrySet());
            int batchSize = Math.max(1, captioner.preferredBatchSize());
            for (int from = 0; from < pending.size(); from += batchSize) {
                List<Map.Entry<String, String>> slice =
                        pending.subList(from, Math.min(pending.size(), from + batchSize));
                List<Map.Entry<String, String>> batch = new ArrayList<>(slice.size());
                List<BufferedImage> decoded = new ArrayList<>(slice.size());
                for (Map.Entry<String, String> e : slice) {
                    try {
                        decoded.add(
                                source.decode(ImageFiles.DECODER, e.getValue()).toBufferedImage());
                        batch.add(e);
                    } catch (UnreadableImageException x) {
                        failedKeys.put(e.getKey(), "decode: " + x.getMessage());
                    }
                }
                List<Captioner.Outcome> outcomes = captioner.captionEach(decoded);
                if (outcomes.size() != batch.size()) {
                    throw new IllegalStateException(captioner.model() + " returned " + outcomes.size()
                            + " captions for " + batch.size() + " images");
                }
                for (int i = 0; i < batch.size(); i++) {
                    record(batch.get(i).getKey(), batch.get(i).getValue(), outcomes.get(i), captionOf, failedKeys);
                }
                if (cache != null) {
                    cache.flush();
                }
                ProgressBars.step(bar, slice.size());
            }
        } finally {
            ProgressBars.close(bar);
        }
        List<CaptionRow> rows = new ArrayList<>(images.size());
        for (String image : images) {
            String key = keyOf.get(image);
            if (failedKeys.containsKey(key)) {
                failed.put(image, failedKeys.get(key));
            } else {
                rows.add(new CaptionRow(image, captionOf.get(key)));
            }
        }
        return rows;
    }

    /** One image's outcome: its caption is kept (and cached), or its key is remembered as failed. */
    private void record(
            String key,
            String image,
            Captioner.Outcome outcome,
            Map<String, String> captionOf,
            Map<String, String> failedKeys) {
        if (!outcome.ok()) {
            failedKeys.put(key, outcome.failure());
            return;
        }
        captionOf.put(key, outcome.caption());
        captioned++;
        if (cache != null) {
            cache.put(key, outcome.caption(), Map.of("model", captioner.model(), "image", image));
        }
    }
}
