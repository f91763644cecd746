package hmn.artifacts;

import hmn.core.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared checks for the artifact readers: readable directories (files and image paths: {@code hmn.format}). */
public final class Artifacts {
    private Artifacts() {}

    /** Checks that {@code dir} is a directory this process can list. */
    public static void requireReadableDirectory(Path dir, String what) {
        if (!Files.exists(dir)) {
            throw new BadInputException(dir + ": no such directory (" + what + "); check the path");
        }
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": is not a directory (" + what + "); pass a directory");
        }
        try (var list = Files.list(dir)) {
            list.findFirst();
        } catch (IOException e) {
            throw new BadInputException(
                    dir + ": cannot read the directory (" + what + "): " + e.getMessage() + "; check permissions");
        }
    }
}
