package hmn.cli;

import hmn.captions.CaptionStage;
import hmn.captions.Captioner;
import hmn.captions.ImageFiles;
import hmn.core.BadInputException;
import hmn.format.CaptionRow;
import hmn.format.CaptionsFile;
import hmn.language.cache.JsonlCache;
import hmn.language.llm.LlmUnavailableException;
import hmn.language.options.BlipOptions;
import hmn.language.options.LanguageOptions;
import hmn.language.options.LanguageStages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hmn captions IMAGES_DIR --out FILE --captioner ...}: the captioning stage alone. */
@Command(
        name = "captions",
        mixinStandardHelpOptions = true,
        description =
                "Captions every image under IMAGES_DIR with BLIP or a vision chat model (cached by image content),"
                        + " or imports a captions file, and writes the captions file (CSV image,caption or .jsonl).")
public final class CaptionsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGES_DIR", description = "Folder of images (searched recursively).")
    Path imagesDir;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Captions file to write (.csv or .jsonl).")
    Path out;

    @Option(
            names = "--captioner",
            required = true,
            paramLabel = "NAME",
            description = "blip (in-process BLIP, fetched on first use), blip:DIR (a local BLIP checkpoint),"
                    + " openai:MODEL (OpenAI or an OpenAI-compatible server), ollama:MODEL, or import:FILE (a captions"
                    + " file to check against IMAGES_DIR and rewrite in its order).")
    String captioner;

    @Mixin
    LanguageOptions language;

    @Mixin
    BlipOptions blip;

    @Override
    public Integer call() {
        List<String> images = ImageFiles.list(imagesDir);
        if (images.isEmpty()) {
            throw new BadInputException("IMAGES_DIR " + imagesDir + " holds no JPEG, PNG, BMP or GIF images");
        }
        List<CaptionRow> rows;
        String summary;
        if (captioner.startsWith("import:")) {
            rows = imported(Path.of(captioner.substring("import:".length())), images);
            summary = "imported";
        } else if (captioner.equals("blip")
                || captioner.startsWith("blip:")
                || captioner.startsWith("openai:")
                || captioner.startsWith("ollama:")) {
            try (Captioner c = LanguageStages.captioner(captioner, language, blip);
                    JsonlCache cache = LanguageStages.openCache(language, "captions.jsonl")) {
                CaptionStage stage = new CaptionStage(c, cache, !language.noProgress);
                try {
                    rows = stage.run(imagesDir, images);
                } catch (LlmUnavailableException e) {
                    throw new BadInputException(e.getMessage() + " (captions so far are cached; re-run to resume)");
                }
                summary = stage.captioned() + " captioned by " + c.model() + ", " + stage.cached() + " from the cache";
                if (!stage.failed().isEmpty()) {
                    summary += ", " + stage.failed().size() + " without a caption (left out; re-run to try them"
                            + " again)";
                    stage.failed().entrySet().stream().limit(10).forEach(e -> spec.commandLine()
                            .getErr()
                            .println("hmn: no caption for " + e.getKey() + ": " + e.getValue()));
                }
            }
        } else {
            throw new BadInputException(
                    "--captioner must be one of " + LanguageStages.CAPTIONERS + ", got '" + captioner + "'");
        }
        CaptionsFile.write(out, rows);
        spec.commandLine().getOut().printf("wrote %s: %d captions (%s)%n", out, rows.size(), summary);
        return 0;
    }

    private static List<CaptionRow> imported(Path file, List<String> images) {
        Map<String, String> byImage = new LinkedHashMap<>();
        for (CaptionRow row : CaptionsFile.read(file).rows()) {
            byImage.put(row.image(), row.caption());
        }
        List<CaptionRow> rows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String image : images) {
            String caption = byImage.get(image);
            if (caption == null) {
                missing.add(image);
            } else {
                rows.add(new CaptionRow(image, caption));
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException("captions file " + file + " has no caption for " + missing.size()
                    + " image(s) of IMAGES_DIR, e.g. '" + missing.get(0) + "'; add them or caption them");
        }
        return rows;
    }
}
