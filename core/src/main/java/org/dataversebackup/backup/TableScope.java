package org.dataversebackup.backup;

/**
 * A table in the scope of a backup, as the metadata describes it.
 *
 * @param logicalName        e.g. {@code account}
 * @param entitySetName      the Web API collection, e.g. {@code accounts}
 * @param primaryIdAttribute e.g. {@code accountid}
 * @param named              asked for by name (not found through {@code *}): it must be backed up
 */
public record TableScope(String logicalName, String entitySetName, String primaryIdAttribute, boolean named) {
}
