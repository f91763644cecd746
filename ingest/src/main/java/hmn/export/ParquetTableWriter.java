package hmn.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Writes one table as one Parquet file (Snappy pages, dictionary encoding), row by row, on parquet-java without
 * Hadoop's file system or configuration: the writer is the parquet-java that Neo4j already brings to the class path,
 * so the export needs no second Parquet or Hadoop on it.
 */
public final class ParquetTableWriter implements AutoCloseable {
    private final List<Column> columns;
    private final ParquetWriter<Object[]> writer;
    private long rows;

    private ParquetTableWriter(List<Column> columns, ParquetWriter<Object[]> writer) {
        this.columns = columns;
        this.writer = writer;
    }

    /** A writer of a new file at {@code file} with these columns. */
    public static ParquetTableWriter create(Path file, String table, List<Column> columns) throws IOException {
        MessageType schema = new MessageType(
                table, columns.stream().map(Column::parquetType).toList().toArray(new Type[0]));
        ParquetWriter<Object[]> writer = new Builder(new LocalOutputFile(file), new RowWriteSupport(schema, columns))
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new SnappyCodecs())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withDictionaryEncoding(true)
                .build();
        return new ParquetTableWriter(columns, writer);
    }

    /** Appends a row: one value per column, in order, of the column's Java type ({@code null} where nullable). */
    public void write(Object... row) throws IOException {
        if (row.length != columns.size()) {
            throw new IllegalArgumentException(
                    "a row of " + row.length + " values for " + columns.size() + " columns " + Column.names(columns));
        }
        for (int i = 0; i < row.length; i++) {
            Column column = columns.get(i);
            if (row[i] == null && !column.nullable()) {
                throw new IllegalArgumentException("column " + column.name() + " may not be null");
            }
        }
        writer.write(row);
        rows++;
    }

    /** The rows written so far. */
    public long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        private final RowWriteSupport support;

        Builder(OutputFile file, RowWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }
    }

    /** Turns a row of Java values into Parquet's record events. */
    private static final class RowWriteSupport extends WriteSupport<Object[]> {
        private final MessageType schema;
        private final List<Column> columns;
        private RecordConsumer out;

        RowWriteSupport(MessageType schema, List<Column> columns) {
            this.schema = schema;
            this.columns = columns;
        }

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration conf) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public WriteContext init(ParquetConfiguration conf) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Object[] row) {
            out.startMessage();
            for (int i = 0; i < row.length; i++) {
                if (row[i] == null) {
                    continue; // an absent optional field
                }
                Column column = columns.get(i);
                out.startField(column.name(), i);
                writeValue(column, row[i]);
                out.endField(column.name(), i);
            }
            out.endMessage();
        }

        private void writeValue(Column column, Object value) {
            switch (column.kind()) {
                case STRING -> out.addBinary(Binary.fromString((String) value));
                case INT32 -> out.addInteger((Integer) value);
                case INT64 -> out.addLong((Long) value);
                case DOUBLE -> out.addDouble((Double) value);
                case BOOLEAN -> out.addBoolean((Boolean) value);
                case FLOAT_LIST -> writeFloats((float[]) value);
            }
        }

        /** The standard LIST layout: group (LIST) { repeated group list { required float element } }. */
        private void writeFloats(float[] values) {
            out.startGroup();
            if (values.length > 0) {
                out.startField("list", 0);
                for (float v : values) {
                    out.startGroup();
                    out.startField("element", 0);
                    out.addFloat(v);
                    out.endField("element", 0);
                    out.endGroup();
                }
                out.endField("list", 0);
            }
            out.endGroup();
        }
    }
}
