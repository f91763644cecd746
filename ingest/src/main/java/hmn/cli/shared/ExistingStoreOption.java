package hmn.cli.shared;

import hmn.graph.StoreSwap;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --db DIR} of the commands that open an existing store ({@code cypher}, {@code serve}, {@code export}, {@code report}, {@code validate}): a picocli mixin. */
public final class ExistingStoreOption {
    @Option(names = "--db", required = true, paramLabel = "DIR", description = "The store directory.")
    Path db;

    /** The store directory, checked to hold an hmn store (else bad input naming {@code --db}). */
    public Path require() {
        StoreSwap.requireStore(db, "--db");
        return db;
    }
}
