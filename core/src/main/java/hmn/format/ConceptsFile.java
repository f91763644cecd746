package hmn.format;

import hmn.core.BadInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A collection's known concepts: CSV with header {@code image,concepts}, the concepts of an image separated by
 * {@code ;} (e.g. {@code day;road;car}). Every row must name an image of the collection, every concept must be one
 * the model has, and no image may have an empty set; anything else is bad input naming the line and the fix.
 */
public final class ConceptsFile {
    private ConceptsFile() {}

    /** Image id to its concepts, in file order. */
    public static Map<String, List<String>> read(Path file, Set<String> images, Collection<String> modelConcepts) {
        List<CsvFiles.Row> rows = CsvFiles.read(file);
        if (rows.isEmpty() || !rows.get(0).fields().equals(List.of("image", "concepts"))) {
            throw new BadInputException(file + ": line 1: the header must be image,concepts");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (CsvFiles.Row row : rows.subList(1, rows.size())) {
            List<String> f = row.fields();
            String where = file + ": line " + row.line() + ": ";
            if (f.size() != 2) {
                throw new BadInputException(where + f.size() + " fields; write image,concepts");
            }
            String image = f.get(0).strip();
            if (!images.contains(image)) {
                throw new BadInputException(where + "image '" + image + "' is not in the collection; list only its"
                        + " images (paths relative to the images directory)");
            }
            List<String> concepts = new ArrayList<>();
            for (String c : f.get(1).split(";")) {
                String concept = c.strip();
                if (concept.isEmpty()) {
                    continue;
                }
                if (!modelConcepts.contains(concept)) {
                    throw new BadInputException(where + "concept '" + concept + "' is not one the model has; it has "
                            + String.join(", ", modelConcepts));
                }
                concepts.add(concept);
            }
            if (concepts.isEmpty()) {
                throw new BadInputException(
                        where + "image '" + image + "' has no concept; give at least one, or" + " leave the image out");
            }
            if (out.put(image, List.copyOf(concepts)) != null) {
                throw new BadInputException(where + "image '" + image + "' is listed twice");
            }
        }
        return out;
    }
}
