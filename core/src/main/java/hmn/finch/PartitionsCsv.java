package hmn.finch;

import hmn.format.CsvFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes partitions as CSV: header {@code point,level_1,...,level_L}, one row per input row, in input order. */
public final class PartitionsCsv {
    private PartitionsCsv() {}

    public static void write(Path file, Partitions p) throws IOException {
        CsvFiles.write(file, out -> {
            List<String> fields = new ArrayList<>(p.levels() + 1);
            fields.add("point");
            for (int l = 1; l <= p.levels(); l++) {
                fields.add("level_" + l);
            }
            out.row(fields);
            for (int i = 0; i < p.points(); i++) {
                fields.clear();
                fields.add(Integer.toString(i));
                for (int l = 1; l <= p.levels(); l++) {
                    fields.add(Integer.toString(p.level(l)[i]));
                }
                out.row(fields);
            }
        });
    }
}
