package org.dataversebackup.cli;

import java.io.PrintStream;

/**
 * What commands print. Results go to standard output (the last line of {@code backup} is the
 * snapshot location, for scripts); problems go to standard error, one line unless verbose.
 */
final class Console {
    private Console() {
    }

    static PrintStream out() {
        return System.out;
    }

    static void error(String message, Throwable verboseDetail) {
        System.err.println("dataverse-backup: " + message);
        if (verboseDetail != null) {
            verboseDetail.printStackTrace(System.err);
        }
    }

    /** The first exception of the given type in a cause chain, or null. */
    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * The most useful message of an exception chain: the outermost one of our own exceptions
     * (they name the table, request or setting), else the innermost one that says something.
     */
    static String describe(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("org.dataversebackup.") && t.getMessage() != null) {
                return t.getMessage();
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return message != null ? message : e.getClass().getSimpleName();
    }
}
