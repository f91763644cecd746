package hmn.graph;

import hmn.core.BadInputException;
import hmn.io.FileTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Replaces a store directory only when its successor is complete: the new store is built in a fresh directory next
 * to the target ({@code .NAME.building-*}), then renamed into place; the old one is moved aside first
 * ({@code .NAME.old-*}) and deleted last. A crash or kill at any point leaves the old store (or, between the two
 * renames, its moved-aside copy, which the next run restores).
 */
public final class StoreSwap {
    /** The file that marks a directory as an hmn store (written when a build completes). */
    public static final String MARKER = "hmn-store.properties";

    private StoreSwap() {}

    /** Restores a moved-aside store left by a crash between the renames, and removes stale partial builds. */
    public static void recover(Path target) throws IOException {
        Path parent = parent(target);
        if (!Files.isDirectory(parent)) {
            return;
        }
        String name = target.getFileName().toString();
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path p : siblings.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("." + name + ".old-")) {
                    if (!Files.exists(target)) {
                        Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                    } else {
                        FileTrees.delete(p);
                    }
                } else if (n.startsWith("." + name + ".building-") && !locked(p)) {
                    FileTrees.delete(p);
                }
            }
        }
    }

    /**
     * Checks that {@code target} may be replaced: absent, an empty directory, or an hmn store no process has open.
     */
    public static void requireReplaceable(Path target, String option) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new BadInputException(
                    option + " " + target + ": is a file, not a store directory; choose a" + " directory");
        }
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isEmpty()) {
                return;
            }
        } catch (IOException e) {
            throw new BadInputException(
                    option + " " + target + ": cannot read the directory (" + e.getMessage() + "); check permissions");
        }
        if (!Files.isRegularFile(target.resolve(MARKER))) {
            throw new BadInputException(option + " " + target + ": exists and is not an hmn store (no " + MARKER
                    + "); choose a new directory or remove it");
        }
        if (locked(target)) {
            throw new BadInputException(
                    option + " " + target + ": the store is open in another process (hmn serve?);" + " stop it first");
        }
    }

    /** Checks that {@code target} is an hmn store, for commands that read one. */
    public static void requireStore(Path target, String option) {
        if (!Files.isRegularFile(target.resolve(MARKER))) {
            throw new BadInputException(option + " " + target + ": is not an hmn store (no " + MARKER
                    + "); build one with 'hmn ingest' or 'hmn demo'");
        }
    }

    /** A fresh, empty directory next to {@code target} to build the new store in. */
    public static Path freshSibling(Path target) throws IOException {
        Path parent = parent(target);
        Files.createDirectories(parent);
        Path fresh = parent.resolve("." + target.getFileName() + ".building-" + UUID.randomUUID());
        Files.createDirectory(fresh);
        return fresh;
    }

    /** Moves {@code fresh} into place as {@code target}, replacing what was there. */
    public static void swap(Path fresh, Path target) throws IOException {
        Path aside = null;
        if (Files.exists(target)) {
            aside = parent(target).resolve("." + target.getFileName() + ".old-" + UUID.randomUUID());
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        if (aside != null) {
            FileTrees.delete(aside);
        }
    }

    private static Path parent(Path target) {
        Path abs = target.toAbsolutePath();
        return abs.getParent() == null ? abs : abs.getParent();
    }

    /** Whether a Neo4j process holds the store's lock file. */
    static boolean locked(Path home) {
        Path lock = home.resolve("data").resolve("databases").resolve("store_lock");
        if (!Files.exists(lock)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
