package hmn.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/** Reads an exported Parquet file back with parquet-java's low-level reader: its schema and every row as a map. */
record ParquetRows(MessageType schema, List<Map<String, Object>> rows) {
    static ParquetRows read(Path file) throws IOException {
        ParquetReadOptions options = new ParquetReadOptions.Builder(new PlainParquetConfiguration())
                .withCodecFactory(new SnappyCodecs())
                .build();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory()
                        .getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(row(schema, records.read()));
                }
            }
            return new ParquetRows(schema, rows);
        }
    }

    /** The column names, in order. */
    List<String> columns() {
        return schema.getFields().stream().map(Type::getName).toList();
    }

    private static Map<String, Object> row(MessageType schema, Group group) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < schema.getFieldCount(); i++) {
            Type field = schema.getType(i);
            row.put(field.getName(), group.getFieldRepetitionCount(i) == 0 ? null : value(field, group, i));
        }
        return row;
    }

    private static Object value(Type field, Group group, int i) {
        if (!field.isPrimitive()) { // the LIST of floats: group { repeated group list { float element } }
            Group list = group.getGroup(i, 0);
            float[] values = new float[list.getFieldRepetitionCount(0)];
            for (int k = 0; k < values.length; k++) {
                values[k] = list.getGroup(0, k).getFloat(0, 0);
            }
            return values;
        }
        return switch (field.asPrimitiveType().getPrimitiveTypeName()) {
            case BINARY -> group.getString(i, 0);
            case INT32 -> group.getInteger(i, 0);
            case INT64 -> group.getLong(i, 0);
            case DOUBLE -> group.getDouble(i, 0);
            case BOOLEAN -> group.getBoolean(i, 0);
            default -> throw new IllegalStateException("unexpected column type " + field);
        };
    }
}
