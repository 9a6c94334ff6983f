package org.dataversebackup.backup;

/** A table could not be backed up: the snapshot fails, and the message names the table and why. */
public class TableBackupException extends RuntimeException {
    private final String table;

    public TableBackupException(String table, Throwable cause) {
        super("Table '" + table + "' could not be backed up, so the snapshot is incomplete (no manifest): "
                + describe(cause), cause);
        this.table = table;
    }

    public String table() {
        return table;
    }

    private static String describe(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && !t.getClass().getName().startsWith("org.dataversebackup.")) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
