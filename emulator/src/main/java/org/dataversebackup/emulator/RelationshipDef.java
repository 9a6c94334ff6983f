package org.dataversebackup.emulator;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A 1:N relationship (a lookup column) or an N:N relationship (an intersect table). */
final class RelationshipDef {
    final String schemaName;
    final boolean manyToMany;
    final UUID metadataId;
    boolean custom;

    // 1:N
    String referencedEntity;
    String referencedAttribute;
    String referencingEntity;
    String referencingAttribute;
    String referencingNavigation;
    String referencedNavigation;
    /** Cascade on delete of the referenced row: Cascade, RemoveLink or Restrict. */
    String cascadeDelete = "RemoveLink";
    boolean hierarchical;

    // N:N
    String intersectEntity;
    String entity1;
    String entity2;
    String entity1IntersectAttribute;
    String entity2IntersectAttribute;
    String entity1Navigation;
    String entity2Navigation;

    private RelationshipDef(String schemaName, boolean manyToMany) {
        this.schemaName = schemaName;
        this.manyToMany = manyToMany;
        this.metadataId = UUID.nameUUIDFromBytes(("relationship:" + schemaName).getBytes(StandardCharsets.UTF_8));
    }

    static RelationshipDef oneToMany(String schemaName, String referencedEntity, String referencedAttribute,
            String referencingEntity, String referencingAttribute, String referencingNavigation, String referencedNavigation) {
        RelationshipDef r = new RelationshipDef(schemaName, false);
        r.referencedEntity = referencedEntity;
        r.referencedAttribute = referencedAttribute;
        r.referencingEntity = referencingEntity;
        r.referencingAttribute = referencingAttribute;
        r.referencingNavigation = referencingNavigation;
        r.referencedNavigation = referencedNavigation;
        return r;
    }

    static RelationshipDef manyToMany(String schemaName, String intersectEntity, String entity1, String entity1Attribute,
            String entity1Navigation, String entity2, String entity2Attribute, String entity2Navigation) {
        RelationshipDef r = new RelationshipDef(schemaName, true);
        r.intersectEntity = intersectEntity;
        r.entity1 = entity1;
        r.entity2 = entity2;
        r.entity1IntersectAttribute = entity1Attribute;
        r.entity2IntersectAttribute = entity2Attribute;
        r.entity1Navigation = entity1Navigation;
        r.entity2Navigation = entity2Navigation;
        return r;
    }
}
