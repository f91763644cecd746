package hmn.format;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Image captions as read by {@link CaptionsFile}.
 *
 * @param source the file read
 * @param images image paths in file order
 * @param texts the captions, parallel to {@code images}
 * @param lines the 1-based line each entry came from, parallel to {@code images}
 */
public record Captions(Path source, List<String> images, List<String> texts, int[] lines) {
    public Captions {
        images = List.copyOf(images);
        texts = List.copyOf(texts);
        if (images.size() != texts.size() || images.size() != lines.length) {
            throw new IllegalArgumentException("images, texts and lines must have the same length");
        }
    }

    public int size() {
        return images.size();
    }

    /** The caption of each image, by path. */
    public Map<String, String> byImage() {
        Map<String, String> map = new HashMap<>(images.size() * 2);
        for (int i = 0; i < images.size(); i++) {
            map.put(images.get(i), texts.get(i));
        }
        return map;
    }

    /** Image and caption, in file order. */
    public List<CaptionRow> rows() {
        List<CaptionRow> rows = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            rows.add(new CaptionRow(images.get(i), texts.get(i)));
        }
        return rows;
    }
}
