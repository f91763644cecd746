package hmn.cli;

import hmn.core.BadInputException;
import hmn.embeddings.Embedder;
import hmn.format.CaptionRow;
import hmn.format.CaptionsFile;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.language.llm.LlmUnavailableException;
import hmn.language.options.LanguageOptions;
import hmn.language.options.LanguageStages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmn embed}: captions file in, embeddings .npy (N x D float32, captions order) out. */
@Command(
        name = "embed",
        mixinStandardHelpOptions = true,
        description = "Embeds the captions of a captions file as an N x D float32 .npy, in captions order.")
public final class EmbedCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--captions",
            required = true,
            paramLabel = "FILE",
            description = "Captions: CSV with header image,caption, or .jsonl.")
    Path captions;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Embeddings to write (.npy).")
    Path out;

    @Option(
            names = "--embedder",
            defaultValue = "minilm",
            paramLabel = "NAME",
            description = "One of: " + LanguageStages.EMBEDDERS + " (default: ${DEFAULT-VALUE}).")
    String embedder;

    @Mixin
    LanguageOptions language;

    @Override
    public Integer call() throws IOException {
        if (!out.getFileName().toString().endsWith(".npy")) {
            throw new BadInputException("--out must name a .npy file, got " + out);
        }
        List<CaptionRow> rows = CaptionsFile.read(captions).rows();
        if (rows.isEmpty()) {
            throw new BadInputException("captions file " + captions + " has no captions");
        }
        long start = System.nanoTime();
        FloatMatrix matrix;
        String model;
        try (Embedder e = LanguageStages.embedder(embedder, language)) {
            matrix = e.embedDistinct(rows.stream().map(CaptionRow::caption).toList());
            model = e.model();
        } catch (LlmUnavailableException e) {
            throw new BadInputException("--embedder " + embedder + ": " + e.getMessage(), e);
        }
        Npy.write(out, matrix);
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %s: %d x %d float32 (%s, %.1f s, %.0f captions/s)%n",
                        out, matrix.rows(), matrix.cols(), model, seconds, matrix.rows() / Math.max(seconds, 1e-9));
        return 0;
    }
}
