package org.dataversebackup.emulator;

import java.util.UUID;

/** The value of a polymorphic lookup (Customer, Owner): the target table and the row id. */
record Ref(String table, UUID id) {
}
