package hmn.core;

/**
 * Bad usage or bad input: the command ends with exit code 2 and prints the message as one line.
 * The message names what is wrong, where (file, row, option) and how to fix it.
 */
public final class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
