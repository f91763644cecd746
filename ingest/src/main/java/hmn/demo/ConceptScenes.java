package hmn.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Scenes composed from known concepts, for a model whose concepts are known: one sky (day, sunset, night), one ground
 * (road, snow, grass, sea) and a random but plausible subset of objects (a car or a bus on a road or snow, a house or
 * pine trees on grass or snow, a snowman on snow, a sailboat on the sea, balloons in any sky, the sun by day or at
 * sunset, the moon at night). Positions, sizes and colours vary, every object can come in any colour its kind has, a
 * random occluder may hide part of the scene, and pixel noise is added, so that no single colour statistic gives the
 * concepts away.
 *
 * <p>Deterministic: scene {@code i} of seed {@code s} is always the same pixels, caption and concepts.
 */
public final class ConceptScenes {
    public static final List<String> SKIES = List.of("day", "sunset", "night");
    public static final List<String> GROUNDS = List.of("road", "snow", "grass", "sea");
    public static final List<String> OBJECTS =
            List.of("car", "bus", "house", "pine_trees", "snowman", "sailboat", "balloon", "sun", "moon");
    /** Every concept, in the order of the trained model's logits. */
    public static final List<String> CONCEPTS = concat(SKIES, GROUNDS, OBJECTS);

    private static final String[] CAR_COLOURS = {"red", "blue", "green", "white", "black", "yellow", "silver"};
    private static final Color[] CAR_RGB = {
        new Color(200, 30, 30),
        new Color(40, 70, 190),
        new Color(30, 140, 60),
        new Color(235, 235, 235),
        new Color(25, 25, 30),
        new Color(235, 200, 30),
        new Color(160, 165, 175)
    };

    private final int size;

    /** One scene: its file name, true caption, concepts (in {@link #CONCEPTS} order) and pixels. */
    public record Scene(String name, String caption, List<String> concepts, BufferedImage image) {}

    public ConceptScenes(int size) {
        if (size < 64) {
            throw new IllegalArgumentException("scenes need at least 64 x 64 pixels, got " + size);
        }
        this.size = size;
    }

    /** Scenes {@code 0 .. count - 1} of {@code seed}. */
    public List<Scene> generate(int count, long seed) {
        List<Scene> scenes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            scenes.add(scene(i, seed));
        }
        return scenes;
    }

    /** Scene {@code index} of {@code seed}, independent of any other scene. */
    public Scene scene(int index, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
        String sky = SKIES.get(r.nextInt(SKIES.size()));
        String ground = GROUNDS.get(r.nextInt(GROUNDS.size()));
        List<String> objects = new ArrayList<>();
        for (String object : OBJECTS) {
            if (allowed(object, sky, ground) && r.nextDouble() < 0.4) {
                objects.add(object);
            }
        }
        if (objects.contains("car") && objects.contains("bus") && r.nextBoolean()) {
            objects.remove(r.nextBoolean() ? "car" : "bus");
        }
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int horizon = (int) (size * (0.42 + 0.18 * r.nextDouble()));
        paintSky(g, r, sky, horizon);
        String carColour = null;
        for (String object : List.of("sun", "moon", "balloon")) {
            if (objects.contains(object)) {
                paintSkyObject(g, r, object, sky, horizon);
            }
        }
        paintGround(g, r, ground, horizon);
        for (String object : List.of("pine_trees", "house", "snowman", "sailboat", "bus", "car")) {
            if (objects.contains(object)) {
                String colour = paintGroundObject(g, r, object, ground, horizon);
                carColour = object.equals("car") ? colour : carColour;
            }
        }
        if (r.nextDouble() < 0.3) {
            occlude(g, r);
        }
        g.dispose();
        addNoise(image, r, 2 + r.nextInt(12));
        List<String> concepts = new ArrayList<>(List.of(sky, ground));
        concepts.addAll(objects);
        concepts.sort((a, b) -> CONCEPTS.indexOf(a) - CONCEPTS.indexOf(b));
        String name = String.format(Locale.ROOT, "scene_%05d.jpg", index);
        return new Scene(name, caption(sky, ground, objects, carColour), List.copyOf(concepts), image);
    }

    /** Which objects a sky and ground make plausible. */
    static boolean allowed(String object, String sky, String ground) {
        return switch (object) {
            case "car", "bus" -> ground.equals("road") || ground.equals("snow");
            case "house", "pine_trees" -> ground.equals("grass") || ground.equals("snow");
            case "snowman" -> ground.equals("snow");
            case "sailboat" -> ground.equals("sea");
            case "sun" -> !sky.equals("night");
            case "moon" -> sky.equals("night");
            case "balloon" -> true;
            default -> throw new IllegalArgumentException("unknown object " + object);
        };
    }

    static String caption(String sky, String ground, List<String> objects, String carColour) {
        List<String> things = new ArrayList<>();
        for (String object : objects) {
            things.add(
                    switch (object) {
                        case "car" -> "a " + carColour + " car";
                        case "bus" -> "a bus";
                        case "house" -> "a house";
                        case "pine_trees" -> "pine trees";
                        case "snowman" -> "a snowman";
                        case "sailboat" -> "a sailboat";
                        case "balloon" -> "hot air balloons";
                        case "sun" -> "the sun";
                        case "moon" -> "the moon";
                        default -> throw new IllegalArgumentException(object);
                    });
        }
        String where =
                switch (ground) {
                    case "road" -> "a road";
                    case "snow" -> "a snowy field";
                    case "grass" -> "green grass";
                    default -> "the sea";
                };
        String when =
                switch (sky) {
                    case "day" -> "on a sunny day";
                    case "sunset" -> "at sunset";
                    default -> "at night";
                };
        if (things.isEmpty()) {
            return where + " " + when;
        }
        String list = things.size() == 1
                ? things.get(0)
                : String.join(", ", things.subList(0, things.size() - 1)) + " and " + things.get(things.size() - 1);
        String preposition = ground.equals("snow") ? "in" : "on";
        return list + " " + preposition + " " + where + " " + when;
    }

    // ---- painting; every coordinate is a fraction of the size ----

    private int px(double fraction) {
        return (int) Math.round(fraction * size);
    }

    private void paintSky(Graphics2D g, SplittableRandom r, String sky, int horizon) {
        Color top;
        Color bottom;
        switch (sky) {
            case "day" -> {
                top = jitter(new Color(60, 120, 215), r, 30);
                bottom = jitter(new Color(170, 210, 245), r, 25);
            }
            case "sunset" -> {
                top = jitter(new Color(110, 60, 130), r, 35);
                bottom = jitter(new Color(245, 150, 60), r, 30);
            }
            default -> {
                top = jitter(new Color(8, 10, 35), r, 10);
                bottom = jitter(new Color(30, 40, 80), r, 15);
            }
        }
        g.setPaint(new GradientPaint(0, 0, top, 0, horizon, bottom));
        g.fillRect(0, 0, size, horizon + 1);
        if (sky.equals("night")) {
            g.setColor(new Color(255, 255, 230));
            for (int i = 0, n = 10 + r.nextInt(30); i < n; i++) {
                g.fillRect(r.nextInt(size), r.nextInt(Math.max(1, horizon)), 1, 1);
            }
        }
        if (!sky.equals("night") && r.nextBoolean()) { // clouds, any colour of grey
            int grey = 200 + r.nextInt(55);
            g.setColor(new Color(grey, grey, grey, 200));
            for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                int w = px(0.15 + 0.2 * r.nextDouble());
                g.fillOval(r.nextInt(size), r.nextInt(Math.max(1, horizon / 2)), w, w / 3);
            }
        }
    }

    private void paintSkyObject(Graphics2D g, SplittableRandom r, String object, String sky, int horizon) {
        switch (object) {
            case "sun" -> {
                int d = px(0.09 + 0.08 * r.nextDouble());
                g.setColor(
                        sky.equals("sunset")
                                ? jitter(new Color(250, 120, 40), r, 25)
                                : jitter(new Color(255, 235, 90), r, 20));
                g.fill(new Ellipse2D.Double(r.nextInt(size - d), r.nextInt(Math.max(1, horizon - d)), d, d));
            }
            case "moon" -> {
                int d = px(0.08 + 0.08 * r.nextDouble());
                int x = r.nextInt(size - d);
                int y = r.nextInt(Math.max(1, horizon - d));
                g.setColor(jitter(new Color(235, 235, 210), r, 15));
                g.fill(new Ellipse2D.Double(x, y, d, d));
                if (r.nextBoolean()) { // a crescent
                    g.setColor(new Color(15, 18, 45));
                    g.fill(new Ellipse2D.Double(x + d * 0.35, y - d * 0.1, d, d));
                }
            }
            default -> { // balloons
                for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                    int w = px(0.07 + 0.07 * r.nextDouble());
                    int x = r.nextInt(size - w);
                    int y = r.nextInt(Math.max(1, horizon - w));
                    g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
                    g.fill(new Ellipse2D.Double(x, y, w, w * 1.2));
                    g.setColor(new Color(110, 70, 30));
                    g.fillRect(x + w / 3, y + (int) (w * 1.35), Math.max(2, w / 3), Math.max(2, w / 4));
                    g.setStroke(new BasicStroke(1));
                    g.drawLine(x + w / 3, y + (int) (w * 1.1), x + w / 3, y + (int) (w * 1.35));
                }
            }
        }
    }

    private void paintGround(Graphics2D g, SplittableRandom r, String ground, int horizon) {
        int h = size - horizon;
        switch (ground) {
            case "road" -> {
                g.setColor(jitter(new Color(120, 110, 95), r, 30)); // verge
                g.fillRect(0, horizon, size, h);
                int top = horizon + h / 5;
                g.setColor(jitter(new Color(70, 70, 75), r, 25));
                g.fillRect(0, top, size, size - top);
                g.setColor(jitter(new Color(235, 235, 220), r, 15));
                int mid = top + (size - top) / 2;
                for (int x = r.nextInt(px(0.1)); x < size; x += px(0.18)) {
                    g.fillRect(x, mid, px(0.08), Math.max(1, px(0.015)));
                }
            }
            case "snow" -> {
                g.setColor(jitter(new Color(238, 242, 250), r, 12));
                g.fillRect(0, horizon, size, h);
                g.setColor(jitter(new Color(205, 215, 235), r, 12));
                for (int i = 0; i < 8; i++) {
                    g.fillOval(
                            r.nextInt(size),
                            horizon + r.nextInt(Math.max(1, h)),
                            px(0.1 + 0.1 * r.nextDouble()),
                            Math.max(2, px(0.02)));
                }
            }
            case "grass" -> {
                Color base = jitter(new Color(75, 155, 60), r, 30);
                g.setPaint(new GradientPaint(0, horizon, base.brighter(), 0, size, base.darker()));
                g.fillRect(0, horizon, size, h);
                g.setColor(base.darker());
                for (int i = 0; i < 40; i++) {
                    int x = r.nextInt(size);
                    int y = horizon + r.nextInt(Math.max(1, h));
                    g.drawLine(x, y, x + 1, y - 3);
                }
            }
            default -> { // sea
                Color light = jitter(new Color(60, 130, 190), r, 30);
                g.setPaint(new GradientPaint(
                        0, horizon, light, 0, size, light.darker().darker()));
                g.fillRect(0, horizon, size, h);
                g.setColor(new Color(255, 255, 255, 80));
                for (int i = 0; i < 20; i++) {
                    g.fillRect(
                            r.nextInt(size), horizon + r.nextInt(Math.max(1, h)), px(0.05 + 0.06 * r.nextDouble()), 1);
                }
            }
        }
    }

    /** Paints one ground object; returns its colour word (used for the car's caption). */
    private String paintGroundObject(Graphics2D g, SplittableRandom r, String object, String ground, int horizon) {
        int h = size - horizon;
        int base = horizon + h / 3 + r.nextInt(Math.max(1, h / 2)); // where the object stands
        double scale = 0.6 + 0.7 * r.nextDouble();
        switch (object) {
            case "car" -> {
                int c = r.nextInt(CAR_COLOURS.length);
                int w = px(0.22 * scale);
                int x = r.nextInt(Math.max(1, size - w));
                g.setColor(jitter(CAR_RGB[c], r, 15));
                g.fillRoundRect(x, base - w / 4, w, w / 4, w / 10, w / 10);
                g.fillRoundRect(x + w / 5, base - w * 2 / 5, w * 3 / 5, w / 5, w / 8, w / 8);
                g.setColor(new Color(170, 210, 235));
                g.fillRect(x + w / 4, base - w * 7 / 20, w / 5, w / 9);
                g.fillRect(x + w / 2 + w / 40, base - w * 7 / 20, w / 5, w / 9);
                wheels(g, x + w / 5, x + w * 4 / 5, base, Math.max(3, w / 7));
                return CAR_COLOURS[c];
            }
            case "bus" -> {
                int w = px(0.38 * scale);
                int x = r.nextInt(Math.max(1, size - w));
                Color[] colours = {
                    new Color(240, 190, 20),
                    new Color(200, 40, 35),
                    new Color(40, 90, 180),
                    new Color(230, 230, 230),
                    new Color(40, 150, 90)
                };
                g.setColor(jitter(colours[r.nextInt(colours.length)], r, 15));
                g.fillRoundRect(x, base - w * 2 / 5, w, w * 2 / 5 - w / 20, w / 12, w / 12);
                g.setColor(new Color(160, 200, 230));
                for (int i = 0; i < 5; i++) {
                    g.fillRect(x + w / 20 + i * w / 5, base - w * 7 / 20, w / 7, w / 8);
                }
                wheels(g, x + w / 6, x + w * 5 / 6, base, Math.max(3, w / 10));
                return "";
            }
            case "house" -> {
                int w = px(0.24 * scale);
                int x = r.nextInt(Math.max(1, size - w));
                Color[] walls = {
                    new Color(240, 235, 220),
                    new Color(200, 160, 110),
                    new Color(170, 60, 50),
                    new Color(120, 150, 190),
                    new Color(230, 210, 120)
                };
                Color[] roofs = {
                    new Color(170, 40, 35), new Color(70, 60, 60), new Color(60, 90, 140), new Color(120, 80, 40)
                };
                g.setColor(jitter(walls[r.nextInt(walls.length)], r, 15));
                g.fillRect(x, base - w * 3 / 4, w, w * 3 / 4);
                g.setColor(jitter(roofs[r.nextInt(roofs.length)], r, 15));
                g.fillPolygon(
                        new int[] {x - w / 10, x + w + w / 10, x + w / 2},
                        new int[] {base - w * 3 / 4, base - w * 3 / 4, base - w * 5 / 4},
                        3);
                g.setColor(new Color(90, 60, 40));
                g.fillRect(x + w * 2 / 5, base - w * 3 / 8, w / 5, w * 3 / 8);
                g.setColor(new Color(150, 200, 230));
                g.fillRect(x + w / 10, base - w * 5 / 8, w / 5, w / 6);
                g.fillRect(x + w * 7 / 10, base - w * 5 / 8, w / 5, w / 6);
                return "";
            }
            case "pine_trees" -> {
                boolean snowy = ground.equals("snow");
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                    int th = px(0.25 * (0.6 + 0.7 * r.nextDouble()));
                    int x = r.nextInt(size);
                    int y = base + r.nextInt(Math.max(1, h / 6)) - h / 12;
                    g.setColor(new Color(90, 60, 30));
                    g.fillRect(x - th / 16, y - th / 8, Math.max(2, th / 8), th / 8);
                    Color green = jitter(new Color(25, 95, 45), r, 25);
                    for (int t = 0; t < 3; t++) {
                        int ty = y - th / 8 - t * th / 4;
                        int half = th / 4 - t * th / 16;
                        g.setColor(green);
                        g.fillPolygon(new int[] {x - half, x + half, x}, new int[] {ty, ty, ty - th / 3}, 3);
                        if (snowy) {
                            g.setColor(new Color(245, 248, 255));
                            g.fillPolygon(
                                    new int[] {x - half / 3, x + half / 3, x},
                                    new int[] {ty - th / 5, ty - th / 5, ty - th / 3},
                                    3);
                        }
                    }
                }
                return "";
            }
            case "snowman" -> {
                int d = px(0.1 * scale);
                int x = r.nextInt(Math.max(1, size - 2 * d)) + d;
                g.setColor(new Color(250, 250, 252));
                g.fill(new Ellipse2D.Double(x - d, base - 2 * d, 2 * d, 2 * d));
                g.fill(new Ellipse2D.Double(x - d * 0.7, base - 3.3 * d, 1.4 * d, 1.4 * d));
                g.fill(new Ellipse2D.Double(x - d * 0.45, base - 4.2 * d, 0.9 * d, 0.9 * d));
                g.setColor(new Color(20, 20, 20));
                g.fillRect(x - d / 8 - d / 5, (int) (base - 3.9 * d), Math.max(1, d / 8), Math.max(1, d / 8));
                g.fillRect(x + d / 5, (int) (base - 3.9 * d), Math.max(1, d / 8), Math.max(1, d / 8));
                g.setColor(new Color(240, 120, 20));
                g.fillPolygon(
                        new int[] {x, x + d / 2, x},
                        new int[] {(int) (base - 3.8 * d), (int) (base - 3.7 * d), (int) (base - 3.6 * d)},
                        3);
                return "";
            }
            default -> { // sailboat
                int w = px(0.2 * scale);
                int x = r.nextInt(Math.max(1, size - w));
                g.setColor(jitter(new Color(110, 70, 40), r, 25));
                g.fillPolygon(
                        new int[] {x, x + w, x + w * 4 / 5, x + w / 5},
                        new int[] {base - w / 6, base - w / 6, base, base},
                        4);
                g.setColor(new Color(80, 60, 40));
                g.fillRect(x + w / 2, base - w, Math.max(1, w / 25), w * 5 / 6);
                g.setColor(
                        r.nextDouble() < 0.6
                                ? jitter(new Color(240, 240, 235), r, 10)
                                : new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
                g.fillPolygon(
                        new int[] {x + w / 2 + 2, x + w / 2 + 2, x + w - w / 10},
                        new int[] {base - w, base - w / 5, base - w / 5},
                        3);
                return "";
            }
        }
    }

    private static void wheels(Graphics2D g, int x1, int x2, int ground, int radius) {
        g.setColor(new Color(20, 20, 20));
        g.fill(new Ellipse2D.Double(x1 - radius, ground - radius, 2 * radius, 2 * radius));
        g.fill(new Ellipse2D.Double(x2 - radius, ground - radius, 2 * radius, 2 * radius));
    }

    /** A grey or coloured blob over up to about a tenth of the scene. */
    private void occlude(Graphics2D g, SplittableRandom r) {
        int w = px(0.1 + 0.2 * r.nextDouble());
        int h = px(0.1 + 0.2 * r.nextDouble());
        g.setColor(
                r.nextBoolean() ? new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)) : new Color(128, 128, 128));
        if (r.nextBoolean()) {
            g.fillRect(r.nextInt(size - w), r.nextInt(size - h), w, h);
        } else {
            g.fillOval(r.nextInt(size - w), r.nextInt(size - h), w, h);
        }
    }

    private static void addNoise(BufferedImage image, SplittableRandom r, int amplitude) {
        double brightness = 0.85 + 0.3 * r.nextDouble();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int red = noisy((rgb >> 16) & 255, r, amplitude, brightness);
                int green = noisy((rgb >> 8) & 255, r, amplitude, brightness);
                int blue = noisy(rgb & 255, r, amplitude, brightness);
                image.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
    }

    private static int noisy(int v, SplittableRandom r, int amplitude, double brightness) {
        return Math.max(0, Math.min(255, (int) Math.round(v * brightness + (r.nextDouble() * 2 - 1) * amplitude)));
    }

    private static Color jitter(Color c, SplittableRandom r, int by) {
        return new Color(
                clamp(c.getRed() + r.nextInt(2 * by + 1) - by),
                clamp(c.getGreen() + r.nextInt(2 * by + 1) - by),
                clamp(c.getBlue() + r.nextInt(2 * by + 1) - by));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return List.copyOf(all);
    }

    /** The concepts as {@code concepts.csv} writes them: separated by {@code ;}. */
    public static String join(List<String> concepts) {
        return concepts.stream().collect(Collectors.joining(";"));
    }
}
