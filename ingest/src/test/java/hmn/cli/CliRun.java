package hmn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in process and captures its exit code and output. */
record CliRun(int code, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Hmn.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The error output's lines. */
    java.util.List<String> errLines() {
        return err.lines().toList();
    }
}
