package org.dataversebackup.restore;

import java.util.Locale;

import org.dataversebackup.config.ConfigurationException;

/** How rows are written: {@code upsert} (default), {@code create} or {@code update}. */
public enum RestoreMode {
    /** PATCH {@code /set(id)}: creates the row with its original id when missing, else updates it. */
    UPSERT,
    /** POST with the original primary key; rows that exist are reported and never overwritten. */
    CREATE,
    /** PATCH with {@code If-Match: *}; rows missing in the target are reported, never created. */
    UPDATE;

    public static RestoreMode parse(String value) {
        if (value == null || value.isBlank()) {
            return UPSERT;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Restore mode '" + value + "' is not one of upsert, create, update.");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
