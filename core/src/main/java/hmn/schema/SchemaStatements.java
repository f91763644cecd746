package hmn.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements of a Cypher schema script such as cypher/schema.cypher: statements end with {@code ;} at the end of
 * a line and may span lines; blank lines and lines starting with {@code //} are skipped; a last statement without
 * {@code ;} counts too.
 */
public final class SchemaStatements {
    /** Where the importer's class path holds cypher/schema.cypher. */
    public static final String RESOURCE = "hmn/cypher/schema.cypher";

    private SchemaStatements() {}

    public static List<String> parse(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("//")) {
                continue;
            }
            current.append(s).append(' ');
            if (s.endsWith(";")) {
                statements.add(current.substring(0, current.lastIndexOf(";")).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return List.copyOf(statements);
    }
}
