package hmn.artifacts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.core.BadInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Image captions read from CSV (header {@code image,caption}) or JSON Lines ({@code {"image": ..., "caption": ...}}).
 *
 * @param source the file read
 * @param images image paths in file order
 * @param texts the captions, parallel to {@code images}
 * @param lines the 1-based line each entry came from, parallel to {@code images}
 */
public record Captions(Path source, List<String> images, List<String> texts, int[] lines) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Captions {
        images = List.copyOf(images);
        texts = List.copyOf(texts);
        if (images.size() != texts.size() || images.size() != lines.length) {
            throw new IllegalArgumentException("images, texts and lines must have the same length");
        }
    }

    public int size() {
        return images.size();
    }

    /** The caption of each image, by path. */
    public Map<String, String> byImage() {
        Map<String, String> map = new HashMap<>(images.size() * 2);
        for (int i = 0; i < images.size(); i++) {
            map.put(images.get(i), texts.get(i));
        }
        return map;
    }

    /** Reads a .csv or .jsonl/.json file; other names are read as JSON Lines when they start with '{'. */
    public static Captions read(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = Artifacts.readText(file);
        boolean jsonl = name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")
                || (!name.endsWith(".csv") && text.stripLeading().startsWith("{"));
        Captions captions = jsonl ? parseJsonLines(file, text) : parseCsv(file, text);
        if (captions.size() == 0) {
            throw new BadInputException(file + ": holds no captions; write one caption per image");
        }
        return captions;
    }

    private static Captions parseCsv(Path file, String text) {
        List<Csv.Row> rows = Csv.parse(file, text);
        if (rows.isEmpty()) {
            throw new BadInputException(file + ": is empty; write the header 'image,caption' and one row per image");
        }
        Csv.Row header = rows.get(0);
        if (!header.fields().equals(List.of("image", "caption"))) {
            throw new BadInputException(file + ": line " + header.line() + ": header is '"
                    + String.join(",", header.fields()) + "', expected 'image,caption'; fix the first line");
        }
        List<String> images = new ArrayList<>(rows.size());
        List<String> texts = new ArrayList<>(rows.size());
        int[] lines = new int[rows.size() - 1];
        Map<String, Integer> seen = new HashMap<>(rows.size() * 2);
        for (int r = 1; r < rows.size(); r++) {
            Csv.Row row = rows.get(r);
            if (row.fields().size() != 2) {
                throw new BadInputException(file + ": line " + row.line() + ": has " + row.fields().size()
                        + " fields, expected 2 (image,caption); put a caption holding commas in double quotes");
            }
            add(file, row.line(), row.fields().get(0), row.fields().get(1), images, texts, lines, seen);
        }
        return new Captions(file, images, texts, lines);
    }

    private static Captions parseJsonLines(Path file, String text) {
        List<String> images = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Integer> lineList = new ArrayList<>();
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
            if (node == null || !node.isObject() || !node.path("image").isTextual() || !node.path("caption").isTextual()) {
                throw new BadInputException(file + ": line " + lineNo + ": expected an object with string fields"
                        + " \"image\" and \"caption\"; write {\"image\": ..., \"caption\": ...}");
            }
            add(file, lineNo, node.get("image").asText(), node.get("caption").asText(), images, texts, lines, seen);
        }
        return new Captions(file, images, texts, java.util.Arrays.copyOf(lines, images.size()));
    }

    private static void add(Path file, int line, String image, String caption, List<String> images, List<String> texts,
            int[] lines, Map<String, Integer> seen) {
        String problem = Artifacts.imagePathProblem(image);
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
