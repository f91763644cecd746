package hmn.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SchemaStatementsTest {

    @Test
    void should_split_statements_skipping_comments_and_blank_lines() {
        // given
        String text = "// constraints\nCREATE CONSTRAINT a IF NOT EXISTS\n  FOR (n:Image) REQUIRE n.id IS UNIQUE;\n\n"
                + "CREATE INDEX b IF NOT EXISTS FOR (n:Image) ON (n.row);\r\nCREATE INDEX c FOR (n:Level) ON (n.number)";
        // when / then
        assertThat(SchemaStatements.parse(text))
                .containsExactly(
                        "CREATE CONSTRAINT a IF NOT EXISTS FOR (n:Image) REQUIRE n.id IS UNIQUE",
                        "CREATE INDEX b IF NOT EXISTS FOR (n:Image) ON (n.row)",
                        "CREATE INDEX c FOR (n:Level) ON (n.number)");
    }

    @Test
    void should_read_every_statement_of_the_schema_file_and_name_only_schema_labels() throws IOException {
        // given: the repository's cypher/schema.cypher
        String text = Files.readString(Path.of("../cypher/schema.cypher"), StandardCharsets.UTF_8);
        // when
        var statements = SchemaStatements.parse(text);
        // then
        assertThat(statements)
                .hasSize((int) text.lines().filter(l -> l.strip().endsWith(";")).count())
                .allMatch(s -> s.startsWith("CREATE ") && !s.contains(";"));
        assertThat(statements)
                .anyMatch(s -> s.contains("(n:" + Schema.IMAGE + ")"))
                .anyMatch(s -> s.contains("(n:" + Schema.DIFFERENCE_SET + ")"));
    }
}
