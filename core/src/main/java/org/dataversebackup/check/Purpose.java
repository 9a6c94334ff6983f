package org.dataversebackup.check;

import java.util.Locale;

import org.dataversebackup.config.ConfigurationException;

/** What the connection account is checked for. */
public enum Purpose {
    /** Read every table in scope. */
    BACKUP,
    /** Read, create and update every table in scope (and set its lookups). */
    RESTORE;

    /** {@code backup} or {@code restore}, in any case. */
    public static Purpose parse(String value) {
        String clean = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (clean) {
            case "backup" -> BACKUP;
            case "restore" -> RESTORE;
            default -> throw new ConfigurationException("The preflight check is for 'backup' or 'restore', not '" + value
                    + "'.");
        };
    }

    /** {@code backup} or {@code restore}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value();
    }
}
