package hmn.cli.shared;

/** The exit codes of every {@code hmn} command: done, failure, bad usage or bad input (design: public contract). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    private ExitCodes() {}
}
