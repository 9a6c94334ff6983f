package org.dataversebackup.emulator;

import java.util.Arrays;

/** Builds the decoded values (by storage slot) of a row by column name. */
final class RowValues {
    final TableDef def;
    final Object[] values;

    RowValues(TableDef def) {
        this.def = def;
        this.values = new Object[def.stored.size()];
    }

    RowValues(TableDef def, Object[] values) {
        this.def = def;
        this.values = Arrays.copyOf(values, def.stored.size());
    }

    RowValues set(String column, Object value) {
        ColumnDef c = def.column(column);
        if (c == null || !c.stored()) {
            throw new IllegalArgumentException("No stored column " + def.logicalName + "." + column);
        }
        values[c.storageIndex] = value;
        return this;
    }

    Object get(String column) {
        ColumnDef c = def.column(column);
        return c == null || !c.stored() ? null : values[c.storageIndex];
    }

    boolean has(String column) {
        ColumnDef c = def.column(column);
        return c != null && c.stored();
    }
}
