package hmn.language.llm;

import hmn.core.BadInputException;
import hmn.language.cache.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prompt files: shipped as resources {@code hmn/prompts/NAME.txt}; a user's directory overrides any of them
 * with a file of the same name. A file starts with {@code version: VERSION} and a {@code ---} line, then the
 * template; an override without that header gets the version {@code NAME-custom-HASH} (first 8 hex digits of the
 * template's SHA-256).
 */
public final class Prompts {
    public static final List<String> NAMES = List.of("representative", "generalisation", "difference", "caption");

    private final Map<String, Prompt> prompts;

    private Prompts(Map<String, Prompt> prompts) {
        this.prompts = Map.copyOf(prompts);
    }

    /** The shipped prompts. */
    public static Prompts defaults() {
        return load(null);
    }

    /** The shipped prompts, with any file in {@code overrides} (may be null) taking the place of its namesake. */
    public static Prompts load(Path overrides) {
        if (overrides != null && !Files.isDirectory(overrides)) {
            throw new BadInputException(
                    "--prompts must be a directory holding any of " + fileNames() + ", got " + overrides);
        }
        Map<String, Prompt> map = new LinkedHashMap<>();
        for (String name : NAMES) {
            Path custom = overrides == null ? null : overrides.resolve(name + ".txt");
            if (custom != null && Files.isRegularFile(custom)) {
                try {
                    map.put(name, parse(name, Files.readString(custom, StandardCharsets.UTF_8), custom.toString()));
                } catch (IOException e) {
                    throw new BadInputException("cannot read prompt file " + custom + ": " + e.getMessage());
                }
            } else {
                map.put(name, parse(name, resource(name), "resource hmn/prompts/" + name + ".txt"));
            }
        }
        return new Prompts(map);
    }

    public Prompt get(String name) {
        Prompt p = prompts.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no prompt named " + name + "; known: " + NAMES);
        }
        return p;
    }

    static Prompt parse(String name, String text, String where) {
        String normalised = text.replace("\r\n", "\n");
        if (normalised.startsWith("version:")) {
            int sep = normalised.indexOf("\n---\n");
            if (sep < 0) {
                throw new BadInputException("prompt " + where + " starts with 'version:' but has no '---' line"
                        + " before the template; add one");
            }
            String version = normalised
                    .substring("version:".length(), normalised.indexOf('\n'))
                    .strip();
            if (version.isEmpty()) {
                throw new BadInputException(
                        "prompt " + where + " has an empty version; write e.g. 'version: " + name + "-v2'");
            }
            return new Prompt(name, version, normalised.substring(sep + 5));
        }
        return new Prompt(name, name + "-custom-" + Hashing.sha256(normalised).substring(0, 8), normalised);
    }

    private static String resource(String name) {
        try (InputStream in = Prompts.class.getClassLoader().getResourceAsStream("hmn/prompts/" + name + ".txt")) {
            if (in == null) {
                throw new IllegalStateException("the resource hmn/prompts/" + name + ".txt is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fileNames() {
        return String.join(", ", NAMES.stream().map(n -> n + ".txt").toList());
    }
}
