package hmn.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import hmn.core.BadInputException;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every CSV file hmn reads or writes, on jackson-dataformat-csv: RFC 4180 (comma separated; a field in double quotes
 * may hold commas, line breaks and quotes written twice). Reading skips a byte order mark and blank lines, and each
 * record remembers the line it starts on; malformed input is a {@link BadInputException} naming file, line and fix.
 * Writing quotes a field only where it holds a comma, a quote, CR or LF, and ends each record with LF.
 */
public final class CsvFiles {
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL)
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();
    private static final String QUOTE_FIX = "put the whole field in double quotes and write a quote inside it as \"\"";

    /** One record: the 1-based line of the file it starts on, and its fields. */
    public record Row(int line, List<String> fields) {}

    private CsvFiles() {}

    /** Reads a whole (UTF-8) file. */
    public static List<Row> read(Path file) {
        return parse(file, TextFiles.read(file));
    }

    /** Parses {@code text}, the content of {@code file} (named in error messages). */
    public static List<Row> parse(Path file, String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<Row> rows = new ArrayList<>();
        parse(file, new StringReader(body), body, rows::add);
        return rows;
    }

    /**
     * Streams the records of a file that may be too large to hold as text (e.g. embeddings) to {@code rows}. Unlike
     * {@link #read}, a quote inside an unquoted field is taken as a plain character.
     */
    public static void stream(Path file, Consumer<Row> rows) {
        TextFiles.requireReadableFile(file);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            in.mark(1);
            if (in.read() != '\uFEFF') {
                in.reset();
            }
            parse(file, in, null, rows);
        } catch (IOException e) {
            throw TextFiles.unreadable(file, e);
        }
    }

    /** {@code text}, when given, is what {@code in} reads: it lets a quote inside an unquoted field be refused. */
    private static void parse(Path file, Reader in, String text, Consumer<Row> rows) {
        int recordLine = 1;
        try (CsvParser p = (CsvParser) MAPPER.getFactory().createParser(in)) {
            p.setSchema(CsvSchema.emptySchema());
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return; // no records at all
            }
            List<String> fields = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
                // t is the START_ARRAY of a record
                fields.clear();
                int line = -1;
                boolean blank = true;
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    if (line < 0) {
                        line = p.currentTokenLocation().getLineNr();
                    }
                    if (v == JsonToken.VALUE_NULL) {
                        fields.add("");
                        continue;
                    }
                    String value = p.getText();
                    blank = false;
                    if (text != null && value.indexOf('"') >= 0) {
                        long start = p.currentTokenLocation().getCharOffset();
                        if (start >= 0 && start < text.length() && text.charAt((int) start) != '"') {
                            throw new BadInputException(
                                    file + ": line " + p.currentTokenLocation().getLineNr()
                                            + ": a quote inside an unquoted field; " + QUOTE_FIX);
                        }
                    }
                    fields.add(value);
                }
                recordLine = p.currentLocation().getLineNr();
                if (blank && fields.size() == 1) {
                    continue; // a blank line
                }
                rows.accept(new Row(line, List.copyOf(fields)));
            }
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            if (why.startsWith("Missing closing quote")) {
                throw new BadInputException(file + ": line " + recordLine + ": a quoted field is never closed;"
                        + " add the closing double quote");
            }
            if (why.contains("Expected column separator")) {
                throw new BadInputException(
                        file + ": line " + e.getLocation().getLineNr() + ": text after a closing quote; " + QUOTE_FIX);
            }
            throw new BadInputException(
                    file + ": line " + e.getLocation().getLineNr() + ": not valid CSV ("
                            + why.lines().findFirst().orElse("") + "); write RFC 4180 CSV",
                    e);
        } catch (IOException e) {
            throw TextFiles.unreadable(file, e);
        }
    }

    /** What writes the records of a file. */
    public interface Body {
        void write(RowWriter out) throws IOException;
    }

    /**
     * Writes {@code file} (UTF-8) whole or not at all: into a temporary sibling, then renamed over it. Creates the
     * parent directories.
     */
    public static void write(Path file, Body body) throws IOException {
        TextFiles.write(file, out -> {
            try (RowWriter csv = writer(out)) {
                body.write(csv);
            }
        });
    }

    /** Writes records to {@code out}, which the caller closes. */
    public static RowWriter writer(java.io.Writer out) throws IOException {
        CsvGenerator g = (CsvGenerator) MAPPER.getFactory().createGenerator(out);
        g.setSchema(CsvSchema.emptySchema());
        return new RowWriter(g);
    }

    /** One record as text, fields quoted where needed, with no line end. */
    public static String line(List<String> fields) {
        StringWriter s = new StringWriter();
        try (RowWriter w = writer(s)) {
            w.row(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        String text = s.toString();
        return text.substring(0, text.length() - 1);
    }

    /** Writes one record a call; {@link #close} flushes (it leaves the target open). */
    public static final class RowWriter implements Closeable {
        private final CsvGenerator g;

        private RowWriter(CsvGenerator g) {
            this.g = g;
        }

        public RowWriter row(List<String> fields) throws IOException {
            g.writeStartArray();
            for (String f : fields) {
                g.writeString(f);
            }
            g.writeEndArray();
            return this;
        }

        public RowWriter row(String... fields) throws IOException {
            return row(List.of(fields));
        }

        @Override
        public void close() throws IOException {
            g.close();
        }
    }
}
