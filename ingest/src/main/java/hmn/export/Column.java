package hmn.export;

import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * One column of an exported table: its name, its type and whether it may be null. The Parquet types are the plain
 * ones every reader maps without options (UTF-8 strings, 32- and 64-bit integers, doubles, booleans, and the standard
 * three-level list of floats), so pandas, DuckDB and Spark read the files as they are.
 */
public record Column(String name, Kind kind, boolean nullable) {
    /** The value types of the exported tables, with the Java type a row holds for each. */
    public enum Kind {
        /** {@link String}. */
        STRING,
        /** {@link Integer}. */
        INT32,
        /** {@link Long}. */
        INT64,
        /** {@link Double}. */
        DOUBLE,
        /** {@link Boolean}. */
        BOOLEAN,
        /** {@code float[]}, as Parquet's LIST of non-null floats. */
        FLOAT_LIST
    }

    public static Column required(String name, Kind kind) {
        return new Column(name, kind, false);
    }

    public static Column nullable(String name, Kind kind) {
        return new Column(name, kind, true);
    }

    /** The Parquet type of this column. */
    Type parquetType() {
        Repetition repetition = nullable ? Repetition.OPTIONAL : Repetition.REQUIRED;
        return switch (kind) {
            case STRING -> Types.primitive(PrimitiveTypeName.BINARY, repetition)
                    .as(LogicalTypeAnnotation.stringType())
                    .named(name);
            case INT32 -> Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
            case INT64 -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
            case DOUBLE -> Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
            case BOOLEAN -> Types.primitive(PrimitiveTypeName.BOOLEAN, repetition)
                    .named(name);
            case FLOAT_LIST -> Types.list(repetition)
                    .element(Types.required(PrimitiveTypeName.FLOAT).named("element"))
                    .named(name);
        };
    }

    /** The names of these columns, in order. */
    public static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).toList();
    }
}
