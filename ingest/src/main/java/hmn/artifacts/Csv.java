package hmn.artifacts;

import hmn.core.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader: comma separated, fields optionally in double quotes (a quote inside a quoted field is
 * written twice; a quoted field may span lines). Each record remembers the line it starts on, for error messages.
 */
final class Csv {
    /** One record: the 1-based line of the file it starts on, and its fields. */
    record Row(int line, List<String> fields) {}

    private Csv() {}

    static List<Row> read(Path file) {
        String text = Artifacts.readText(file);
        return parse(file, text);
    }

    static List<Row> parse(Path file, String text) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowLine = 1;
        boolean quoted = false;
        boolean wasQuoted = false;
        boolean rowHasContent = false;
        int i = 0;
        int n = text.length();
        if (n > 0 && text.charAt(0) == '\uFEFF') {
            i = 1; // byte order mark
        }
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (field.length() > 0 || wasQuoted) {
                        throw new BadInputException(file + ": line " + line + ": a quote inside an unquoted field;"
                                + " put the whole field in double quotes and write a quote inside it as \"\"");
                    }
                    quoted = true;
                    wasQuoted = true;
                    rowHasContent = true;
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                    rowHasContent = true;
                }
                case '\r' -> {
                    // tolerated before \n
                }
                case '\n' -> {
                    if (rowHasContent || field.length() > 0) {
                        fields.add(field.toString());
                        rows.add(new Row(rowLine, List.copyOf(fields)));
                    }
                    fields.clear();
                    field.setLength(0);
                    wasQuoted = false;
                    rowHasContent = false;
                    line++;
                    rowLine = line;
                }
                default -> {
                    if (wasQuoted) {
                        throw new BadInputException(file + ": line " + line + ": text after a closing quote;"
                                + " put the whole field in double quotes and write a quote inside it as \"\"");
                    }
                    field.append(c);
                    rowHasContent = true;
                }
            }
        }
        if (quoted) {
            throw new BadInputException(file + ": line " + rowLine + ": a quoted field is never closed;"
                    + " add the closing double quote");
        }
        if (rowHasContent || field.length() > 0) {
            fields.add(field.toString());
            rows.add(new Row(rowLine, List.copyOf(fields)));
        }
        return rows;
    }
}
