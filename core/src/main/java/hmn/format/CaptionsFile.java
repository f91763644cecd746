package hmn.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hmn.core.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The captions file of the contract: CSV with header {@code image,caption}, or JSON Lines
 * {@code {"image": ..., "caption": ...}} when the name ends in {@code .jsonl}, {@code .json} or {@code .ndjson} (or,
 * for another name but {@code .csv}, when the text starts with '{'). Image paths are relative to IMAGES_DIR with '/'
 * separators, each listed once; every caption is non-blank, and is read without its surrounding white space.
 */
public final class CaptionsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaptionsFile() {}

    /** Whether {@code file} is written as JSON Lines (by its name). */
    public static boolean isJsonLines(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson");
    }

    /** Reads and checks; a problem is a {@link BadInputException} naming file, line and fix. */
    public static Captions read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = TextFiles.read(file);
        boolean jsonl = isJsonLines(file)
                || (!name.endsWith(".csv") && text.stripLeading().startsWith("{"));
        Captions captions = jsonl ? parseJsonLines(file, text) : parseCsv(file, text);
        if (captions.size() == 0) {
            throw new BadInputException(file + ": holds no captions; write one caption per image");
        }
        return captions;
    }

    /** Writes CSV or JSON Lines (by the name) whole or not at all. */
    public static void write(Path file, List<CaptionRow> rows) {
        try {
            if (isJsonLines(file)) {
                TextFiles.write(file, out -> {
                    for (CaptionRow row : rows) {
                        ObjectNode node = JSON.createObjectNode();
                        node.put("image", row.image());
                        node.put("caption", row.caption());
                        out.write(JSON.writeValueAsString(node));
                        out.write('\n');
                    }
                });
            } else {
                CsvFiles.write(file, out -> {
                    out.row("image", "caption");
                    for (CaptionRow row : rows) {
                        out.row(row.image(), row.caption());
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Captions parseCsv(Path file, String text) {
        List<CsvFiles.Row> rows = CsvFiles.parse(file, text);
        if (rows.isEmpty()) {
            throw new BadInputException(file + ": is empty; write the header 'image,caption' and one row per image");
        }
        CsvFiles.Row header = rows.get(0);
        if (!header.fields().equals(List.of("image", "caption"))) {
            throw new BadInputException(file + ": line " + header.line() + ": header is '"
                    + String.join(",", header.fields()) + "', expected 'image,caption'; fix the first line");
        }
        List<String> images = new ArrayList<>(rows.size());
        List<String> texts = new ArrayList<>(rows.size());
        int[] lines = new int[rows.size() - 1];
        Map<String, Integer> seen = new HashMap<>(rows.size() * 2);
        for (int r = 1; r < rows.size(); r++) {
            CsvFiles.Row row = rows.get(r);
            if (row.fields().size() != 2) {
                throw new BadInputException(
                        file + ": line " + row.line() + ": has " + row.fields().size()
                                + " fields, expected 2 (image,caption); put a caption holding commas in double quotes");
            }
            add(file, row.line(), row.fields().get(0), row.fields().get(1), images, texts, lines, seen);
        }
        return new Captions(file, images, texts, lines);
    }

    private static Captions parseJsonLines(Path file, String text) {
        List<String> images = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String[] fileLines = text.split("\n", -1);
        int[] lines = new int[fileLines.length];
        for (int i = 0; i < fileLines.length; i++) {
            String line = fileLines[i].strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isEmpty()) {
                continue;
            }
            int lineNo = i + 1;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new BadInputException(file + ": line " + lineNo + ": not valid JSON ("
                        + e.getOriginalMessage().lines().findFirst().orElse("") + "); write one object"
                        + " {\"image\": ..., \"caption\": ...} per line");
            }
            if (node == null
                    || !node.isObject()
                    || !node.path("image").isTextual()
                    || !node.path("caption").isTextual()) {
                throw new BadInputException(file + ": line " + lineNo + ": expected an object with string fields"
                        + " \"image\" and \"caption\"; write {\"image\": ..., \"caption\": ...}");
            }
            add(file, lineNo, node.get("image").asText(), node.get("caption").asText(), images, texts, lines, seen);
        }
        return new Captions(file, images, texts, java.util.Arrays.copyOf(lines, images.size()));
    }

    private static void add(
            Path file,
            int line,
            String image,
            String caption,
            List<String> images,
            List<String> texts,
            int[] lines,
            Map<String, Integer> seen) {
        String problem = ImagePaths.problem(image);
        if (problem != null) {
            throw new BadInputException(file + ": line " + line + ": " + problem);
        }
        Integer before = seen.putIfAbsent(image, line);
        if (before != null) {
            throw new BadInputException(file + ": line " + line + ": image '" + image + "' already has a caption on"
                    + " line " + before + "; keep one caption per image");
        }
        if (caption.isBlank()) {
            throw new BadInputException(file + ": line " + line + ": the caption of '" + image + "' is empty;"
                    + " give every image a caption");
        }
        lines[images.size()] = line;
        images.add(image);
        texts.add(caption.strip());
    }
}
