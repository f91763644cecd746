package hmn.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Draws simple outdoor scenes whose true caption is known: the demo's sample collection. Each scene kind shares
 * parts with others (sky, sea, snow, roads, houses, trees) so that the caption hierarchy has real structure: snowy
 * scenes, sea scenes and street scenes form families, and kinds within a family differ by one object.
 *
 * <p>Deterministic: the same seed draws the same pixels and captions.
 */
public final class SceneGenerator {
    /** One generated image and its true caption; {@code name} is a file name such as "street_red_car_03.jpg". */
    public record Scene(String name, String caption, BufferedImage image) {}

    private record Kind(String name, List<String> captions, BiFunction<Graphics2D, Random, Void> painter) {}

    private final int width;
    private final int height;
    private final List<Kind> kinds;

    public SceneGenerator(int width, int height) {
        if (width < 64 || height < 64) {
            throw new IllegalArgumentException("scenes need at least 64 x 64 pixels, got " + width + " x " + height);
        }
        this.width = width;
        this.height = height;
        this.kinds = List.of(
                kind(
                        "street_red_car",
                        this::streetWithRedCar,
                        "a red car on a city street",
                        "a red car parked on a street in the city",
                        "a small red car driving down a city street"),
                kind(
                        "street_yellow_bus",
                        this::streetWithBus,
                        "a yellow bus on a city street",
                        "a yellow bus driving through the city",
                        "a yellow school bus on a street in the city"),
                kind(
                        "snow_red_car",
                        this::snowyRoadWithRedCar,
                        "a red car on a snowy road",
                        "a red car driving on a road covered in snow",
                        "a red car on a road in the snow"),
                kind(
                        "sea_sailboat",
                        this::sailboatSunny,
                        "a sailboat on the blue sea on a sunny day",
                        "a white sailboat sailing on the sea under the sun",
                        "a sailboat on the ocean under a blue sky"),
                kind(
                        "sea_sunset",
                        this::sailboatSunset,
                        "a sailboat on the sea at sunset",
                        "a sailboat sailing on the ocean under an orange sunset sky",
                        "a boat on the sea at sunset"),
                kind(
                        "sea_moon",
                        this::moonOverSea,
                        "a full moon over the sea at night",
                        "the moon shining over the dark ocean at night",
                        "a bright moon above the sea in the night sky"),
                kind(
                        "forest_green",
                        this::greenForest,
                        "a green forest of pine trees on a sunny day",
                        "pine trees in a green forest under a blue sky",
                        "a forest of green pine trees in the sun"),
                kind(
                        "forest_snow",
                        this::snowyForest,
                        "a snowy forest of pine trees",
                        "pine trees covered in snow in a winter forest",
                        "a forest of pine trees in the snow"),
                kind(
                        "field_house",
                        this::houseInField,
                        "a house with a red roof in a green field",
                        "a small house with a red roof on green grass",
                        "a white house with a red roof in a field"),
                kind(
                        "snow_house",
                        this::houseInSnow,
                        "a house with a red roof in a snowy field",
                        "a small house with a red roof in the snow",
                        "a white house with a red roof in a winter field"),
                kind(
                        "snow_snowman",
                        this::snowman,
                        "a snowman in a snowy field",
                        "a snowman standing in the snow",
                        "a snowman with a carrot nose in a winter field"),
                kind(
                        "sky_balloons",
                        this::balloons,
                        "hot air balloons in a blue sky",
                        "colorful hot air balloons flying in the sky",
                        "hot air balloons floating over green hills"));
    }

    /** Scene kinds in order, e.g. "street_red_car". */
    public List<String> kindNames() {
        return kinds.stream().map(Kind::name).toList();
    }

    /** {@code perKind} scenes of every kind, kind after kind. */
    public List<Scene> generate(int perKind, long seed) {
        if (perKind < 1) {
            throw new IllegalArgumentException("perKind must be at least 1, got " + perKind);
        }
        List<Scene> scenes = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            for (int i = 0; i < perKind; i++) {
                scenes.add(scene(k, i, seed));
            }
        }
        return scenes;
    }

    /** Scene {@code index} of kind {@code kind} (0 .. kinds - 1): the same seed draws the same scene. */
    public Scene scene(int kind, int index, long seed) {
        Kind k = kinds.get(kind);
        Random random = new Random(seed * 1_000_003L + kind * 10_007L + index);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.scale(width / 320.0, height / 240.0); // painters draw on a 320 x 240 canvas
        k.painter().apply(g, random);
        g.dispose();
        String caption = k.captions().get(random.nextInt(k.captions().size()));
        return new Scene(String.format(index < 100 ? "%s_%02d.jpg" : "%s_%d.jpg", k.name(), index), caption, image);
    }

    private static Kind kind(String name, BiFunction<Graphics2D, Random, Void> painter, String... captions) {
        return new Kind(name, List.of(captions), painter);
    }

    // ---- painters (a 320 x 240 canvas) ----

    private Void streetWithRedCar(Graphics2D g, Random r) {
        city(g, r);
        car(g, r, new Color(200 + r.nextInt(40), 20 + r.nextInt(30), 20 + r.nextInt(30)), 175);
        return null;
    }

    private Void streetWithBus(Graphics2D g, Random r) {
        city(g, r);
        int x = 40 + r.nextInt(100);
        g.setColor(new Color(240, 190 + r.nextInt(30), 20));
        g.fill(new RoundRectangle2D.Double(x, 130, 150, 55, 10, 10));
        g.setColor(new Color(60, 90, 120));
        for (int w = 0; w < 5; w++) {
            g.fillRect(x + 10 + w * 27, 138, 20, 18);
        }
        wheels(g, x + 28, x + 122, 185);
        return null;
    }

    private Void snowyRoadWithRedCar(Graphics2D g, Random r) {
        sky(g, r, new Color(180, 190, 205), new Color(225, 230, 238));
        snowGround(g, r, 120);
        g.setColor(new Color(150, 150, 160));
        g.fillPolygon(new Polygon(new int[] {0, 320, 320, 0}, new int[] {165, 160, 215, 220}, 4));
        g.setColor(Color.WHITE);
        for (int i = 0; i < 12; i++) {
            g.fillOval(r.nextInt(320), 160 + r.nextInt(55), 20 + r.nextInt(30), 4 + r.nextInt(6));
        }
        pines(g, r, 3, 120, true);
        snowfall(g, r, 120);
        car(g, r, new Color(200 + r.nextInt(40), 20 + r.nextInt(30), 20 + r.nextInt(30)), 190);
        return null;
    }

    private Void sailboatSunny(Graphics2D g, Random r) {
        sky(g, r, new Color(70, 140, 230), new Color(170, 210, 250));
        sun(g, r, new Color(255, 230, 80));
        sea(g, r, new Color(20, 90, 170), new Color(40, 130, 200));
        sailboat(g, r, Color.WHITE);
        return null;
    }

    private Void sailboatSunset(Graphics2D g, Random r) {
        sky(g, r, new Color(250, 120 + r.nextInt(30), 40), new Color(255, 200, 120));
        g.setColor(new Color(255, 90, 30));
        g.fill(new Ellipse2D.Double(120 + r.nextInt(80), 105, 60, 60));
        sea(g, r, new Color(90, 50, 80), new Color(200, 100, 60));
        sailboat(g, r, new Color(40, 30, 40));
        return null;
    }

    private Void moonOverSea(Graphics2D g, Random r) {
        sky(g, r, new Color(5, 10, 35), new Color(20, 30, 70));
        g.setColor(Color.WHITE);
        for (int i = 0; i < 40; i++) {
            g.fillRect(r.nextInt(320), r.nextInt(120), 2, 2);
        }
        g.setColor(new Color(245, 245, 220));
        int mx = 60 + r.nextInt(200);
        g.fill(new Ellipse2D.Double(mx, 25 + r.nextInt(30), 50, 50));
        sea(g, r, new Color(5, 15, 40), new Color(20, 35, 70));
        g.setColor(new Color(230, 230, 200, 160));
        for (int y = 140; y < 240; y += 8) {
            g.fillRect(mx + 5 + r.nextInt(10), y, 30 + r.nextInt(20), 2);
        }
        return null;
    }

    private Void greenForest(Graphics2D g, Random r) {
        sky(g, r, new Color(80, 150, 235), new Color(180, 215, 250));
        sun(g, r, new Color(255, 235, 90));
        grass(g, r, 150);
        pines(g, r, 5 + r.nextInt(3), 150, false);
        return null;
    }

    private Void snowyForest(Graphics2D g, Random r) {
        sky(g, r, new Color(170, 180, 200), new Color(220, 225, 235));
        snowGround(g, r, 150);
        pines(g, r, 5 + r.nextInt(3), 150, true);
        snowfall(g, r, 240);
        return null;
    }

    private Void houseInField(Graphics2D g, Random r) {
        sky(g, r, new Color(80, 150, 235), new Color(180, 215, 250));
        sun(g, r, new Color(255, 235, 90));
        grass(g, r, 150);
        house(g, r);
        return null;
    }

    private Void houseInSnow(Graphics2D g, Random r) {
        sky(g, r, new Color(170, 180, 200), new Color(220, 225, 235));
        snowGround(g, r, 150);
        house(g, r);
        snowfall(g, r, 240);
        return null;
    }

    private Void snowman(Graphics2D g, Random r) {
        sky(g, r, new Color(170, 180, 200), new Color(220, 225, 235));
        snowGround(g, r, 150);
        int x = 110 + r.nextInt(100);
        g.setColor(new Color(250, 250, 252));
        g.fill(new Ellipse2D.Double(x - 40, 140, 80, 75));
        g.fill(new Ellipse2D.Double(x - 28, 95, 56, 52));
        g.fill(new Ellipse2D.Double(x - 20, 60, 40, 40));
        g.setColor(Color.BLACK);
        g.fillOval(x - 9, 72, 5, 5);
        g.fillOval(x + 4, 72, 5, 5);
        g.setColor(new Color(255, 130, 20));
        g.fillPolygon(new int[] {x, x + 22, x}, new int[] {80, 84, 88}, 3);
        g.setColor(new Color(90, 60, 30));
        g.setStroke(new BasicStroke(3));
        g.drawLine(x - 26, 115, x - 55, 95);
        g.drawLine(x + 26, 115, x + 55, 95);
        snowfall(g, r, 240);
        return null;
    }

    private Void balloons(Graphics2D g, Random r) {
        sky(g, r, new Color(70, 140, 230), new Color(170, 210, 250));
        g.setColor(new Color(60, 150, 60));
        g.fill(new Ellipse2D.Double(-60, 190, 260, 120));
        g.fill(new Ellipse2D.Double(140, 200, 260, 110));
        Color[] colors = {Color.RED, Color.ORANGE, new Color(150, 40, 200), Color.YELLOW, new Color(0, 170, 170)};
        int n = 2 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            int x = 20 + r.nextInt(250);
            int y = 20 + r.nextInt(110);
            int s = 30 + r.nextInt(25);
            g.setColor(colors[r.nextInt(colors.length)]);
            g.fill(new Ellipse2D.Double(x, y, s, s * 1.15));
            g.setColor(new Color(110, 70, 30));
            g.fillRect(x + s / 2 - 5, (int) (y + s * 1.15) + 8, 10, 8);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(x + s / 4, (int) (y + s), x + s / 2 - 5, (int) (y + s * 1.15) + 8);
            g.drawLine(x + 3 * s / 4, (int) (y + s), x + s / 2 + 5, (int) (y + s * 1.15) + 8);
        }
        return null;
    }

    // ---- parts ----

    private static void sky(Graphics2D g, Random r, Color top, Color bottom) {
        g.setPaint(new GradientPaint(0, 0, jitter(top, r), 0, 160, jitter(bottom, r)));
        g.fillRect(0, 0, 320, 240);
    }

    private static void sun(Graphics2D g, Random r, Color color) {
        g.setColor(color);
        g.fill(new Ellipse2D.Double(20 + r.nextInt(240), 15 + r.nextInt(30), 40, 40));
    }

    private static void sea(Graphics2D g, Random r, Color deep, Color light) {
        g.setPaint(new GradientPaint(0, 135, jitter(light, r), 0, 240, jitter(deep, r)));
        g.fillRect(0, 135, 320, 105);
        g.setColor(new Color(255, 255, 255, 70));
        for (int i = 0; i < 25; i++) {
            g.fillRect(r.nextInt(320), 140 + r.nextInt(100), 15 + r.nextInt(25), 2);
        }
    }

    private static void grass(Graphics2D g, Random r, int horizon) {
        g.setColor(jitter(new Color(70, 160, 60), r));
        g.fillRect(0, horizon, 320, 240 - horizon);
        g.setColor(new Color(50, 130, 45));
        for (int i = 0; i < 60; i++) {
            int x = r.nextInt(320);
            int y = horizon + r.nextInt(240 - horizon);
            g.drawLine(x, y, x + 2, y - 5);
        }
    }

    private static void snowGround(Graphics2D g, Random r, int horizon) {
        g.setColor(jitter(new Color(238, 242, 250), r));
        g.fillRect(0, horizon, 320, 240 - horizon);
        g.setColor(new Color(210, 220, 235));
        for (int i = 0; i < 15; i++) {
            g.fillOval(r.nextInt(320), horizon + r.nextInt(240 - horizon), 30 + r.nextInt(40), 6);
        }
    }

    private static void snowfall(Graphics2D g, Random r, int bottom) {
        g.setColor(new Color(255, 255, 255, 220));
        for (int i = 0; i < 70; i++) {
            g.fillOval(r.nextInt(320), r.nextInt(bottom), 3, 3);
        }
    }

    private static void pines(Graphics2D g, Random r, int count, int base, boolean snowy) {
        for (int i = 0; i < count; i++) {
            int x = 15 + r.nextInt(290);
            int h = 60 + r.nextInt(70);
            int y = base + r.nextInt(40);
            g.setColor(new Color(90, 60, 30));
            g.fillRect(x - 4, y - 10, 8, 14);
            g.setColor(jitter(new Color(20, 100, 40), r));
            for (int t = 0; t < 3; t++) {
                int ty = y - 10 - t * h / 4;
                int w = 30 - t * 7;
                g.fillPolygon(new int[] {x - w, x + w, x}, new int[] {ty, ty, ty - h / 2}, 3);
                if (snowy) {
                    g.setColor(new Color(245, 248, 255));
                    g.fillPolygon(
                            new int[] {x - w / 3, x + w / 3, x}, new int[] {ty - h / 3, ty - h / 3, ty - h / 2}, 3);
                    g.setColor(jitter(new Color(20, 100, 40), r));
                }
            }
        }
    }

    private static void house(Graphics2D g, Random r) {
        int x = 60 + r.nextInt(140);
        int w = 90 + r.nextInt(30);
        g.setColor(new Color(245, 240, 230));
        g.fillRect(x, 130, w, 70);
        g.setColor(jitter(new Color(190, 30, 30), r));
        g.fillPolygon(new int[] {x - 10, x + w + 10, x + w / 2}, new int[] {132, 132, 85}, 3);
        g.setColor(new Color(110, 70, 40));
        g.fillRect(x + w / 2 - 10, 165, 20, 35);
        g.setColor(new Color(120, 180, 230));
        g.fillRect(x + 10, 145, 18, 16);
        g.fillRect(x + w - 28, 145, 18, 16);
    }

    private static void city(Graphics2D g, Random r) {
        sky(g, r, new Color(120, 160, 210), new Color(200, 215, 230));
        for (int x = -10; x < 320; x += 40 + r.nextInt(20)) {
            int h = 60 + r.nextInt(90);
            int shade = 90 + r.nextInt(80);
            g.setColor(new Color(shade, shade - 10, shade - 20));
            g.fillRect(x, 150 - h, 45, h);
            g.setColor(new Color(230, 220, 150));
            for (int wy = 155 - h; wy < 140; wy += 15) {
                for (int wx = x + 6; wx < x + 40; wx += 12) {
                    if (r.nextInt(3) > 0) {
                        g.fillRect(wx, wy, 6, 8);
                    }
                }
            }
        }
        g.setColor(new Color(70, 70, 75));
        g.fillRect(0, 150, 320, 90);
        g.setColor(new Color(230, 230, 230));
        for (int x = 0; x < 320; x += 40) {
            g.fillRect(x + r.nextInt(5), 208, 22, 4);
        }
    }

    private static void car(Graphics2D g, Random r, Color color, int ground) {
        int x = 40 + r.nextInt(170);
        g.setColor(color);
        g.fill(new RoundRectangle2D.Double(x, ground - 30, 100, 26, 10, 10));
        g.fill(new RoundRectangle2D.Double(x + 20, ground - 50, 55, 24, 12, 12));
        g.setColor(new Color(150, 200, 240));
        g.fillRect(x + 27, ground - 45, 18, 14);
        g.fillRect(x + 50, ground - 45, 18, 14);
        wheels(g, x + 22, x + 78, ground);
    }

    private static void wheels(Graphics2D g, int x1, int x2, int ground) {
        g.setColor(Color.BLACK);
        g.fill(new Ellipse2D.Double(x1 - 11, ground - 14, 22, 22));
        g.fill(new Ellipse2D.Double(x2 - 11, ground - 14, 22, 22));
        g.setColor(Color.GRAY);
        g.fill(new Ellipse2D.Double(x1 - 5, ground - 8, 10, 10));
        g.fill(new Ellipse2D.Double(x2 - 5, ground - 8, 10, 10));
    }

    private static void sailboat(Graphics2D g, Random r, Color sail) {
        int x = 60 + r.nextInt(180);
        int y = 150 + r.nextInt(40);
        g.setColor(new Color(120, 70, 40));
        g.fillPolygon(new int[] {x - 40, x + 40, x + 28, x - 28}, new int[] {y, y, y + 16, y + 16}, 4);
        g.setColor(new Color(80, 60, 40));
        g.fillRect(x - 2, y - 75, 4, 75);
        g.setColor(sail);
        g.fillPolygon(new int[] {x + 3, x + 3, x + 45}, new int[] {y - 72, y - 6, y - 6}, 3);
        g.fillPolygon(new int[] {x - 3, x - 3, x - 30}, new int[] {y - 60, y - 6, y - 6}, 3);
    }

    private static Color jitter(Color c, Random r) {
        return new Color(
                clamp(c.getRed() + r.nextInt(21) - 10),
                clamp(c.getGreen() + r.nextInt(21) - 10),
                clamp(c.getBlue() + r.nextInt(21) - 10),
                c.getAlpha());
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
