package hmn.graph;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import org.neo4j.batchimport.api.BatchImporter;
import org.neo4j.batchimport.api.Configuration;
import org.neo4j.batchimport.api.InputIterable;
import org.neo4j.batchimport.api.InputIterator;
import org.neo4j.batchimport.api.Monitor;
import org.neo4j.batchimport.api.input.Collector;
import org.neo4j.batchimport.api.input.IdType;
import org.neo4j.batchimport.api.input.Input;
import org.neo4j.batchimport.api.input.InputChunk;
import org.neo4j.batchimport.api.input.InputEntityVisitor;
import org.neo4j.batchimport.api.input.ReadableGroups;
import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.internal.batchimport.DefaultAdditionalIds;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.io.fs.FileSystemAbstraction;
import org.neo4j.io.layout.DatabaseLayout;
import org.neo4j.io.layout.Neo4jLayout;
import org.neo4j.io.pagecache.context.CursorContextFactory;
import org.neo4j.io.pagecache.tracing.PageCacheTracer;
import org.neo4j.kernel.impl.index.schema.IndexImporterFactoryImpl;
import org.neo4j.kernel.impl.scheduler.JobSchedulerFactory;
import org.neo4j.kernel.impl.transaction.log.files.TransactionLogInitializer;
import org.neo4j.logging.internal.NullLogService;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.scheduler.JobScheduler;
import org.neo4j.storageengine.api.StorageEngineFactory;

/**
 * Writes nodes and relationships into the default database of a new, empty DBMS home with Neo4j's offline importer
 * (the engine behind {@code neo4j-admin database import}): no transactions, records written in parallel, the store
 * linked at the end. Node ids are given by the caller ({@link IdType#ACTUAL}). The home opens afterwards as a normal
 * embedded store.
 */
final class StoreImporter {
    /** Entities handed to an importer thread at a time. */
    static final int CHUNK = 10_000;

    /** The importer's own memory (caches for linking relationships), outside the Java heap. */
    static final long OFF_HEAP_BYTES = 1L << 30;

    private StoreImporter() {}

    /**
     * Imports the segments into {@code home}, which must hold no database yet.
     *
     * @param percent called with the importer's overall progress, 0 to 100
     */
    static void run(
            Path home,
            List<GraphRecords.Segment> nodes,
            List<GraphRecords.Segment> relationships,
            Input.Estimates estimates,
            IntConsumer percent)
            throws IOException {
        Config config = Config.newBuilder()
                .set(GraphDatabaseSettings.neo4j_home, home.toAbsolutePath())
                .build();
        DatabaseLayout layout = Neo4jLayout.of(config).databaseLayout(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        Configuration importConfig = new Configuration.Overridden(Configuration.DEFAULT) {
            @Override
            public int maxNumberOfWorkerThreads() {
                return Runtime.getRuntime().availableProcessors();
            }

            @Override
            public long maxOffHeapMemory() {
                return OFF_HEAP_BYTES;
            }
        };
        Monitor monitor = new Monitor() {
            @Override
            public void percentageCompleted(int value) {
                percent.accept(value);
            }
        };
        Input input =
                Input.input(iterable(nodes), iterable(relationships), IdType.ACTUAL, estimates, ReadableGroups.EMPTY);
        try (FileSystemAbstraction fs = new DefaultFileSystemAbstraction();
                JobScheduler scheduler = JobSchedulerFactory.createInitialisedScheduler();
                PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            BatchImporter importer = StorageEngineFactory.selectStorageEngine(config)
                    .batchImporter(
                            layout,
                            fs,
                            PageCacheTracer.NULL,
                            importConfig,
                            NullLogService.getInstance(),
                            quiet,
                            false,
                            DefaultAdditionalIds.EMPTY,
                            config,
                            monitor,
                            scheduler,
                            Collector.STRICT,
                            TransactionLogInitializer.getLogFilesInitializer(),
                            new IndexImporterFactoryImpl(),
                            EmptyMemoryTracker.INSTANCE,
                            CursorContextFactory.NULL_CONTEXT_FACTORY);
            importer.doImport(input);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot import into " + home + ": " + e, e);
        }
    }

    /** The segments as the importer reads them: chunks of up to {@link #CHUNK} entities, never spanning segments. */
    private static InputIterable iterable(List<GraphRecords.Segment> segments) {
        return () -> new InputIterator() {
            private int segment;
            private long position;

            @Override
            public InputChunk newChunk() {
                return new Chunk();
            }

            @Override
            public synchronized boolean next(InputChunk chunk) {
                while (segment < segments.size()
                        && position >= segments.get(segment).count()) {
                    segment++;
                    position = 0;
                }
                if (segment == segments.size()) {
                    return false;
                }
                GraphRecords.Segment current = segments.get(segment);
                long to = Math.min(current.count(), position + CHUNK);
                ((Chunk) chunk).reset(current, position, to);
                position = to;
                return true;
            }

            @Override
            public void close() {}
        };
    }

    private static final class Chunk implements InputChunk {
        private GraphRecords.Segment segment;
        private long next;
        private long end;

        void reset(GraphRecords.Segment segment, long from, long to) {
            this.segment = segment;
            this.next = from;
            this.end = to;
        }

        @Override
        public boolean next(InputEntityVisitor visitor) throws IOException {
            if (next >= end) {
                return false;
            }
            segment.emit(next++, visitor);
            visitor.endOfEntity();
            return true;
        }

        @Override
        public void close() {}
    }
}
