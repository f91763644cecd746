package hmn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.cli.shared.ExistingStoreOption;
import hmn.core.BadInputException;
import hmn.server.ResultFormat;
import hmn.server.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hmn cypher}: runs one Cypher query on an embedded store (hmn procedures loaded) and prints the rows. */
@Command(
        name = "cypher",
        mixinStandardHelpOptions = true,
        description = "Runs a Cypher query on an hmn store, with the hmn.* procedures loaded, and prints the rows.")
public final class CypherCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ExistingStoreOption storeDir;

    @Option(
            names = "--format",
            defaultValue = "table",
            paramLabel = "FORMAT",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    ResultFormat.Kind format;

    @Option(
            names = {"-p", "--param"},
            paramLabel = "NAME=VALUE",
            description = "A query parameter ($NAME); VALUE is"
                    + " read as JSON when it parses (numbers, lists, maps, quoted strings), else as a string.")
    Map<String, String> params = new LinkedHashMap<>();

    @Parameters(index = "0", paramLabel = "QUERY", description = "The Cypher query.")
    String query;

    @Override
    public Integer call() {
        Path db = storeDir.require();
        Map<String, Object> parameters = new LinkedHashMap<>();
        params.forEach((k, v) -> parameters.put(k, parse(v)));
        List<String> columns;
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Store store = Store.open(db)) {
            try (Transaction tx = store.db().beginTx();
                    Result result = tx.execute(query, parameters)) {
                columns = result.columns();
                while (result.hasNext()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    result.next().forEach((k, v) -> row.put(k, ResultFormat.plain(v)));
                    rows.add(row);
                }
                tx.commit();
            } catch (QueryExecutionException e) {
                throw new BadInputException("the query failed: " + firstLine(e) + " (check the query; example"
                        + " queries are in cypher/examples/)");
            } catch (RuntimeException e) {
                if (e.getCause() instanceof QueryExecutionException q) {
                    throw new BadInputException("the query failed: " + firstLine(q));
                }
                throw e;
            }
        }
        ResultFormat.print(spec.commandLine().getOut(), format, columns, rows);
        return Hmn.OK;
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && m.contains("Failed to invoke procedure")) {
            m = m.lines().findFirst().orElse(m);
        }
        return m.lines().findFirst().orElse(m).strip();
    }

    private static Object parse(String value) {
        try {
            return JSON.readValue(value, Object.class);
        } catch (Exception e) {
            return value;
        }
    }
}
