package hmn.plugin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * The per-database cache behind the stateless procedures: one {@link GraphSnapshot} per database, rebuilt when the
 * graph's generation ({@code HmnMeta.generation}) changes. Each call pays one cheap read of the generation.
 */
public final class Snapshots {

    private static final Map<String, Holder> CACHE = new ConcurrentHashMap<>();

    private Snapshots() {}

    /** The snapshot of the caller's database, current for its generation. */
    public static GraphSnapshot of(GraphDatabaseService db, Transaction tx) {
        String fingerprint = GraphSnapshot.fingerprint(tx);
        Holder holder = CACHE.computeIfAbsent(key(db), k -> new Holder());
        GraphSnapshot snapshot = holder.snapshot;
        if (snapshot != null && snapshot.fingerprint().equals(fingerprint)) {
            return snapshot;
        }
        synchronized (holder) {
            snapshot = holder.snapshot;
            if (snapshot == null || !snapshot.fingerprint().equals(fingerprint)) {
                holder.snapshot = null; // let the old one go before reading the new one
                snapshot = GraphSnapshot.read(tx, fingerprint);
                holder.snapshot = snapshot;
            }
            return snapshot;
        }
    }

    /** Forgets every cached snapshot (the next call re-reads its graph). */
    public static void clear() {
        CACHE.clear();
    }

    private static String key(GraphDatabaseService db) {
        try {
            if (db instanceof GraphDatabaseAPI api) {
                return api.databaseId().toString();
            }
        } catch (LinkageError e) {
            // a Neo4j without this internal interface: the database name is the key
        }
        return db.databaseName();
    }

    private static final class Holder {
        volatile GraphSnapshot snapshot;
    }
}
