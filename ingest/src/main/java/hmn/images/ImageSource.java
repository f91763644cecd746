package hmn.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Where the stages read an image collection: a local folder, or, for {@code ingest --spark}, a Hadoop file system's
 * URI that the spark module lists and opens, so that neither the driver nor the executors need a local copy. Images
 * are known by their ids (paths relative to the collection, {@code /} separators, {@link CollectionFiles}' rules).
 */
public interface ImageSource {
    /** One candidate image file, with what tells a changed file from an unchanged one. */
    record Listed(String id, long size, long modified) {}

    /** The folder or URI, for messages (and for the executors, which open the collection themselves). */
    String location();

    /** The local folder, or null for a collection that is read only through its file system. */
    Path folder();

    /** The candidate image files, sorted by id; bad input when the collection does not exist. */
    List<Listed> list() throws IOException;

    /** The bytes of one image. */
    InputStream open(String id) throws IOException;

    /** One image decoded; a file that cannot be read is an unreadable image, as a damaged one is. */
    default RgbImage decode(ImageDecoder decoder, String id) throws UnreadableImageException {
        byte[] bytes;
        try (InputStream in = open(id)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UnreadableImageException("cannot read file: " + e.getMessage(), e);
        }
        return decoder.decode(bytes);
    }

    /** The SHA-256 of one image's bytes, in hex. */
    default String sha256(String id) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = open(id)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static ImageSource folder(Path dir) {
        return new Folder(dir);
    }

    /** A collection in a local (or shared) folder, read as the stages always have. */
    record Folder(Path dir) implements ImageSource {
        @Override
        public String location() {
            return dir.toString();
        }

        @Override
        public Path folder() {
            return dir;
        }

        @Override
        public List<Listed> list() throws IOException {
            List<Listed> listed = new ArrayList<>();
            for (Path file : CollectionFiles.files(dir)) {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                listed.add(new Listed(
                        CollectionFiles.id(dir, file),
                        a.size(),
                        a.lastModifiedTime().toMillis()));
            }
            listed.sort(java.util.Comparator.comparing(Listed::id));
            return listed;
        }

        @Override
        public InputStream open(String id) throws IOException {
            return Files.newInputStream(dir.resolve(id));
        }

        @Override
        public RgbImage decode(ImageDecoder decoder, String id) throws UnreadableImageException {
            return decoder.decode(dir.resolve(id));
        }
    }
}
