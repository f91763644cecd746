package hmn.cli;

import hmn.core.BadInputException;
import hmn.format.Captions;
import hmn.format.CaptionsFile;
import hmn.format.CsvFiles;
import hmn.format.Partitions;
import hmn.format.PartitionsFile;
import hmn.group.Hierarchy;
import hmn.labelling.Labelling;
import hmn.labels.ExtractiveLabeller;
import hmn.labels.Label;
import hmn.labels.Labeller;
import hmn.labels.LlmLabeller;
import hmn.language.cache.JsonlCache;
import hmn.language.options.LanguageOptions;
import hmn.language.options.LanguageStages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn label}: the labelling stage alone. Every cluster of the hierarchy gets its caption (level 1: a
 * representative caption of its images' captions; above: a generalisation of its children's) and every child its
 * difference description against its parent, from an LLM or the offline extractive default.
 */
@Command(
        name = "label",
        mixinStandardHelpOptions = true,
        description = "Labels every cluster of a partition (captions, generalisations, differences) with an LLM or"
                + " the offline default, and writes them as CSV.")
public final class LabelCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--captions",
            required = true,
            paramLabel = "FILE",
            description = "Image captions: CSV image,caption or .jsonl.")
    Path captions;

    @Option(
            names = "--partitions",
            required = true,
            paramLabel = "FILE",
            description = "Nested partition: CSV image,level_1,...,level_L.")
    Path partitions;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Labels to write: CSV cluster,level,kind,parent,text,source,model,prompt_version,"
                    + "offline_default.")
    Path out;

    @Option(
            names = "--llm",
            defaultValue = "none",
            paramLabel = "MODEL",
            description = "One of: " + LanguageStages.LLMS + " (default: ${DEFAULT-VALUE}).")
    String llm;

    @Option(names = "--levels", paramLabel = "N", description = "Keep only the first N partition levels.")
    Integer levels;

    @Option(
            names = "--synthetic-root",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Add a root cluster over everything when the top level has more than one cluster, as"
                    + " ingest does (default: on).")
    boolean syntheticRoot;

    @Mixin
    LanguageOptions language;

    @Override
    public Integer call() throws IOException {
        Captions c = CaptionsFile.read(captions);
        Partitions p = PartitionsFile.read(partitions);
        if (levels != null) {
            p = p.firstLevels(levels);
        }
        Map<String, String> byImage = c.byImage();
        String[] texts = new String[p.images().size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = byImage.get(p.images().get(i));
            if (texts[i] == null) {
                throw new BadInputException("partitions " + partitions + " line " + p.lines()[i] + ": image '"
                        + p.images().get(i) + "' has no caption in " + captions + "; caption it or drop it");
            }
        }
        Labeller offline = ExtractiveLabeller.builder().corpus(List.of(texts)).build();
        Hierarchy hierarchy = Hierarchy.ofPartition(p.labels(), syntheticRoot);
        Labelling labelling;
        long start = System.nanoTime();
        try (JsonlCache cache =
                llm.equalsIgnoreCase("none") ? null : LanguageStages.openCache(language, "labels.jsonl")) {
            Labeller labeller = LanguageStages.labeller(llm, language, offline, cache);
            labelling = Labelling.of(hierarchy, texts, labeller);
            if (labeller instanceof LlmLabeller l) {
                LlmLabeller.Stats s = l.stats();
                spec.commandLine()
                        .getErr()
                        .printf(
                                "hmn: %s: %d calls, %d answers from the cache, %d offline" + " fallbacks%n",
                                llm, s.calls(), s.cacheHits(), s.fallbacks());
            }
        }
        List<List<String>> lines = new ArrayList<>();
        for (int k = 0; k < hierarchy.size(); k++) {
            String id = hierarchy.id(k);
            lines.add(row(
                    id, hierarchy.level(k), "caption", "", labelling.clusters().get(id)));
        }
        for (int k = 0; k < hierarchy.size(); k++) {
            String id = hierarchy.id(k);
            Label d = labelling.differences().get(id);
            if (d != null) {
                lines.add(row(id, hierarchy.level(k), "difference", hierarchy.id(hierarchy.parent(k)), d));
            }
        }
        CsvFiles.write(out, w -> {
            w.row("cluster", "level", "kind", "parent", "text", "source", "model", "prompt_version", "offline_default");
            for (List<String> line : lines) {
                w.row(line);
            }
        });
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %s: %d cluster captions and %d differences (%.1f s)%n",
                        out, hierarchy.size(), labelling.differences().size(), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static List<String> row(String cluster, int level, String kind, String parent, Label label) {
        return List.of(
                cluster,
                Integer.toString(level),
                kind,
                parent,
                label.text(),
                label.source(),
                label.model(),
                label.promptVersion(),
                Boolean.toString(label.offlineDefault()));
    }
}
