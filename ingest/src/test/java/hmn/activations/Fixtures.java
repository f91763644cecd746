package hmn.activations;

import java.net.URISyntaxException;
import java.nio.file.Path;

final class Fixtures {
    private Fixtures() {}

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getClassLoader().getResource("hmn/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
