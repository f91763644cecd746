package hmn.images;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The EXIF orientation tag (274) of a JPEG, and its application: what Pillow's {@code ImageOps.exif_transpose}
 * does, so that every stage sees the image upright.
 */
public final class ExifOrientation {
    private ExifOrientation() {}

    /** The orientation (1..8) found in the JPEG's APP1 Exif segment; 1 when absent or unreadable. */
    public static int ofJpeg(byte[] head) {
        try {
            if (head.length < 4 || (head[0] & 0xFF) != 0xFF || (head[1] & 0xFF) != 0xD8) {
                return 1;
            }
            int p = 2;
            while (p + 4 <= head.length) {
                if ((head[p] & 0xFF) != 0xFF) {
                    return 1;
                }
                int marker = head[p + 1] & 0xFF;
                if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                    p += 2;
                    continue;
                }
                if (marker == 0xDA || marker == 0xD9) {
                    return 1; // image data begins: no Exif before it
                }
                int length = ((head[p + 2] & 0xFF) << 8) | (head[p + 3] & 0xFF);
                if (marker == 0xE1
                        && p + 4 + length - 2 <= head.length
                        && length > 8
                        && head[p + 4] == 'E'
                        && head[p + 5] == 'x'
                        && head[p + 6] == 'i'
                        && head[p + 7] == 'f') {
                    int o = ofTiff(head, p + 10, length - 8);
                    if (o != 0) {
                        return o;
                    }
                }
                p += 2 + length;
            }
        } catch (RuntimeException e) {
            return 1; // malformed Exif: treat as upright, as viewers do
        }
        return 1;
    }

    private static int ofTiff(byte[] data, int start, int length) {
        ByteBuffer b = ByteBuffer.wrap(data, start, length).slice();
        if (b.get(0) == 'I' && b.get(1) == 'I') {
            b.order(ByteOrder.LITTLE_ENDIAN);
        } else if (b.get(0) == 'M' && b.get(1) == 'M') {
            b.order(ByteOrder.BIG_ENDIAN);
        } else {
            return 0;
        }
        int ifd = b.getInt(4);
        int entries = Short.toUnsignedInt(b.getShort(ifd));
        for (int i = 0; i < entries; i++) {
            int e = ifd + 2 + i * 12;
            if (Short.toUnsignedInt(b.getShort(e)) == 274) {
                int value = Short.toUnsignedInt(b.getShort(e + 8));
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 0;
    }

    /** The image turned upright for the given orientation (1 = already upright). */
    public static RgbImage apply(RgbImage in, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return in;
        }
        int w = in.width();
        int h = in.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] src = in.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> {
                        sx = w - 1 - x;
                        sy = y;
                    } // mirror horizontal
                    case 3 -> {
                        sx = w - 1 - x;
                        sy = h - 1 - y;
                    } // rotate 180
                    case 4 -> {
                        sx = x;
                        sy = h - 1 - y;
                    } // mirror vertical
                    case 5 -> {
                        sx = y;
                        sy = x;
                    } // transpose
                    case 6 -> {
                        sx = y;
                        sy = h - 1 - x;
                    } // rotate 90 clockwise
                    case 7 -> {
                        sx = w - 1 - y;
                        sy = h - 1 - x;
                    } // transverse
                    default -> {
                        sx = w - 1 - y;
                        sy = x;
                    } // 8: rotate 90 counter-clockwise
                }
                int s = (sy * w + sx) * 3;
                int d = (y * ow + x) * 3;
                out[d] = src[s];
                out[d + 1] = src[s + 1];
                out[d + 2] = src[s + 2];
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
