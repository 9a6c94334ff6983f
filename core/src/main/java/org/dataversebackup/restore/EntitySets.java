package org.dataversebackup.restore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The entity set (Web API collection) of a table, for {@code @odata.bind} values: from the
 * snapshot's manifest when the table was backed up, else asked once of the target's metadata
 * ({@code EntityDefinitions(LogicalName='systemuser')?$select=EntitySetName}).
 */
public final class EntitySets {
    private final Map<String, Optional<String>> known = new ConcurrentHashMap<>();
    private final Function<String, Optional<String>> lookup;

    /**
     * @param fromSnapshot logical name to entity set, from the manifest
     * @param lookup       asks the target for a table's entity set; empty when the table does not exist
     */
    public EntitySets(Map<String, String> fromSnapshot, Function<String, Optional<String>> lookup) {
        fromSnapshot.forEach((table, set) -> known.put(table, Optional.of(set)));
        this.lookup = lookup;
    }

    public Optional<String> of(String table) {
        return known.computeIfAbsent(table, lookup);
    }
}
