package org.dataversebackup.backup;

/**
 * A table in the scope of a backup, as the metadata describes it.
 *
 * @param logicalName        e.g. {@code account}
 * @param entitySetName      the Web API collection, e.g. {@code accounts}
 * @param primaryIdAttribute e.g. {@code accountid}
 * @param named              asked for by name (not found through {@code *}): it must be backed up
 * @param changeTracking     {@code ChangeTrackingEnabled}: its changes can be read with a delta token
 */
public record TableScope(String logicalName, String entitySetName, String primaryIdAttribute, boolean named,
        boolean changeTracking) {

    public TableScope(String logicalName, String entitySetName, String primaryIdAttribute, boolean named) {
        this(logicalName, entitySetName, primaryIdAttribute, named, false);
    }
}
