package hmn.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.core.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The catalogue of supported models: {@code hmn/models/catalogue.txt} (one name a line) on the classpath, each
 * described by {@code hmn/models/<name>.json}. Supporting another torchvision-style ResNet is adding a file.
 */
public final class ModelCatalogue {
    /** The classpath folder of the catalogue and of the weights that ship with it. */
    public static final String ROOT = "hmn/models/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelCatalogue() {}

    public static List<String> names() {
        try (InputStream in = resource("catalogue.txt")) {
            if (in == null) {
                throw new IllegalStateException(ROOT + "catalogue.txt is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty() && !s.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelSpec get(String name) {
        if (!names().contains(name)) {
            throw new BadInputException("unknown model '" + name + "'; the catalogue has: " + String.join(", ", names())
                    + " (or give a TorchScript .pt file)");
        }
        try (InputStream in = resource(name + ".json")) {
            if (in == null) {
                throw new IllegalStateException(ROOT + name + ".json is missing from the classpath");
            }
            return JSON.readValue(in, ModelSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalogue entry " + name, e);
        }
    }

    private static InputStream resource(String file) {
        return ModelCatalogue.class.getClassLoader().getResourceAsStream(ROOT + file);
    }
}
