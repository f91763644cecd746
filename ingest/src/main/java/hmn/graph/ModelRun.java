package hmn.graph;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What produced an activations directory, as its {@code run.json} and {@code skipped.tsv} record it (both written
 * by hmn's activation stage; absent for activations computed elsewhere): the model, its weights' provenance,
 * whether they were random, the engine that ran a catalogue model (null when not recorded), and the images that
 * could not be read, with the reason.
 */
record ModelRun(String name, String weights, boolean randomWeights, String engine, List<String[]> skipped) {
    static ModelRun of(Path activations, String defaultName) {
        String name = defaultName;
        String weights = "imported activations: " + activations.getFileName();
        boolean random = false;
        String engine = null;
        Path run = activations.resolve("run.json");
        try {
            if (Files.isRegularFile(run)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> json = new ObjectMapper().readValue(run.toFile(), Map.class);
                name = String.valueOf(json.getOrDefault("model", name));
                weights = String.valueOf(json.getOrDefault("weights", weights));
                engine = json.get("engine") == null ? null : String.valueOf(json.get("engine"));
                random = Boolean.TRUE.equals(json.get("randomWeights"))
                        || String.valueOf(json.get("weights")).startsWith("random");
            }
            List<String[]> skipped = new ArrayList<>();
            Path skippedFile = activations.resolve("skipped.tsv");
            if (Files.isRegularFile(skippedFile)) {
                for (String line : Files.readAllLines(skippedFile, StandardCharsets.UTF_8)) {
                    int tab = line.indexOf('\t');
                    if (tab > 0) {
                        skipped.add(new String[] {line.substring(0, tab), line.substring(tab + 1)});
                    }
                }
            }
            return new ModelRun(name, weights, random, engine, skipped);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + activations, e);
        }
    }
}
