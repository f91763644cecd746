package hmn.finch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes partitions as CSV: header {@code point,level_1,...,level_L}, one row per input row, in input order. */
public final class PartitionsCsv {
    private PartitionsCsv() {}

    public static void write(Path file, Partitions p) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder("point");
            for (int l = 1; l <= p.levels(); l++) {
                sb.append(",level_").append(l);
            }
            out.write(sb.append('\n').toString());
            for (int i = 0; i < p.points(); i++) {
                sb.setLength(0);
                sb.append(i);
                for (int l = 1; l <= p.levels(); l++) {
                    sb.append(',').append(p.level(l)[i]);
                }
                out.write(sb.append('\n').toString());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
