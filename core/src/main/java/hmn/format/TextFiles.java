package hmn.format;

import hmn.core.BadInputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reading the text files of the contract (UTF-8), with one message per way it can fail. */
public final class TextFiles {
    private TextFiles() {}

    /** The whole file as text. */
    public static String read(Path file) {
        requireReadableFile(file);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** What writes the text of a file. */
    public interface Body {
        void write(BufferedWriter out) throws IOException;
    }

    /**
     * Writes {@code file} (UTF-8) whole or not at all: into a temporary sibling, then renamed over it. Creates the
     * parent directories.
     */
    public static void write(Path file, Body body) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            body.write(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Refuses a directory where a file is expected. */
    static void requireReadableFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new BadInputException(file + ": is a directory, expected a file; check the path");
        }
    }

    /** The bad input that {@code e}, met while reading {@code file}, means. */
    static BadInputException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new BadInputException(file + ": no such file; check the path");
        }
        if (e instanceof AccessDeniedException) {
            return new BadInputException(file + ": cannot read (permission denied); check permissions");
        }
        if (e instanceof CharacterCodingException) {
            return new BadInputException(file + ": is not UTF-8 text; save it as UTF-8");
        }
        return new BadInputException(file + ": cannot read (" + e.getMessage() + "); check the path and permissions");
    }
}
