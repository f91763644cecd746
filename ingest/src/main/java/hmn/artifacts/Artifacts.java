package hmn.artifacts;

import hmn.core.BadInputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Shared checks for the artifact readers: readable files and directories, well-formed image paths. */
public final class Artifacts {
    private Artifacts() {}

    static String readText(Path file) {
        if (Files.isDirectory(file)) {
            throw new BadInputException(file + ": is a directory, expected a file; check the path");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file; check the path");
        } catch (AccessDeniedException e) {
            throw new BadInputException(file + ": cannot read (permission denied); check permissions");
        } catch (CharacterCodingException e) {
            throw new BadInputException(file + ": is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read (" + e.getMessage() + "); check the path and permissions");
        }
    }

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
            throw new BadInputException(dir + ": cannot read the directory (" + what + "): " + e.getMessage()
                    + "; check permissions");
        }
    }

    /**
     * Checks an image path: relative to IMAGES_DIR, '/' separators, no '..', no empty segment. Returns a reason it is
     * not well formed, or null.
     */
    static String imagePathProblem(String image) {
        if (image.isBlank()) {
            return "the image path is empty";
        }
        if (!image.equals(image.strip())) {
            return "the image path '" + image + "' has leading or trailing spaces";
        }
        if (image.indexOf('\\') >= 0) {
            return "the image path '" + image + "' uses '\\'; write it with '/' separators";
        }
        if (image.startsWith("/")) {
            return "the image path '" + image + "' is absolute; write it relative to IMAGES_DIR";
        }
        for (String segment : image.split("/", -1)) {
            if (segment.isEmpty() || segment.equals("..") || segment.equals(".")) {
                return "the image path '" + image + "' has an empty, '.' or '..' segment; write it relative to"
                        + " IMAGES_DIR without them";
            }
        }
        return null;
    }
}
