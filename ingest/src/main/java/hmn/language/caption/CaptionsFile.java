package hmn.language.caption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hmn.core.BadInputException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The captions file of the contract: CSV with header {@code image,caption} (RFC 4180 quoting), or JSON Lines
 * {@code {"image": ..., "caption": ...}} when the name ends in {@code .jsonl}.
 */
public final class CaptionsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaptionsFile() {}

    public static boolean isJsonLines(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        return name.endsWith(".jsonl") || name.endsWith(".ndjson");
    }

    public static List<CaptionRow> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("captions file " + file + " does not exist; give a CSV with header"
                    + " image,caption or a .jsonl file");
        }
        try {
            List<CaptionRow> rows = isJsonLines(file) ? readJsonLines(file) : readCsv(file);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < rows.size(); i++) {
                if (!seen.add(rows.get(i).image())) {
                    throw new BadInputException("captions file " + file + " lists image '" + rows.get(i).image()
                            + "' twice (row " + (i + 1) + "); keep one caption per image");
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes atomically (a temporary file, then a rename). */
    public static void write(Path file, List<CaptionRow> rows) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                if (isJsonLines(file)) {
                    for (CaptionRow row : rows) {
                        ObjectNode node = JSON.createObjectNode();
                        node.put("image", row.image());
                        node.put("caption", row.caption());
                        out.write(JSON.writeValueAsString(node));
                        out.write('\n');
                    }
                } else {
                    out.write("image,caption\n");
                    for (CaptionRow row : rows) {
                        out.write(csv(row.image()) + "," + csv(row.caption()) + "\n");
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<CaptionRow> readJsonLines(Path file) throws IOException {
        List<CaptionRow> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw new BadInputException("captions file " + file + " line " + lineNo + " is not JSON: "
                            + e.getMessage().lines().findFirst().orElse(""));
                }
                JsonNode image = node.get("image");
                JsonNode caption = node.get("caption");
                if (image == null || caption == null || !image.isTextual() || !caption.isTextual()) {
                    throw new BadInputException("captions file " + file + " line " + lineNo
                            + " needs string fields \"image\" and \"caption\"");
                }
                rows.add(new CaptionRow(image.asText(), caption.asText()));
            }
        }
        return rows;
    }

    private static List<CaptionRow> readCsv(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> records = parseCsv(text, file);
        if (records.isEmpty() || !records.get(0).equals(List.of("image", "caption"))) {
            throw new BadInputException("captions file " + file + " must start with the header line image,caption");
        }
        List<CaptionRow> rows = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> r = records.get(i);
            if (r.size() == 1 && r.get(0).isEmpty()) {
                continue;
            }
            if (r.size() != 2) {
                throw new BadInputException("captions file " + file + " record " + (i + 1) + " has " + r.size()
                        + " fields, expected 2 (image,caption); quote captions that hold commas");
            }
            rows.add(new CaptionRow(r.get(0), r.get(1)));
        }
        return rows;
    }

    /** RFC 4180: fields separated by commas, optionally quoted with "" escaping, records by CRLF or LF. */
    static List<List<String>> parseCsv(String text, Path file) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            any = true;
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                any = false;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new BadInputException("captions file " + file + " ends inside a quoted field; close the quote");
        }
        if (any) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }

    /** One CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break. */
    public static String csv(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
