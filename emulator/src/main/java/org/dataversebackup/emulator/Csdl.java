package org.dataversebackup.emulator;

import java.nio.charset.StandardCharsets;

/** The CSDL $metadata document: entity types, navigation properties, entity sets (with change tracking annotations). */
final class Csdl {
    static final String CHANGE_TRACKING = "Org.OData.Capabilities.V1.ChangeTracking";

    private Csdl() {
    }

    static byte[] document(boolean annotations) {
        StringBuilder x = new StringBuilder(64 * 1024);
        x.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        x.append("<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n");
        x.append(" <edmx:DataServices>\n");
        x.append("  <Schema Namespace=\"Microsoft.Dynamics.CRM\" Alias=\"mscrm\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n");
        x.append("   <EntityType Name=\"crmbaseentity\" Abstract=\"true\"/>\n");
        x.append("   <EntityType Name=\"principal\" BaseType=\"mscrm.crmbaseentity\" Abstract=\"true\">\n");
        x.append("    <Key><PropertyRef Name=\"ownerid\"/></Key>\n    <Property Name=\"ownerid\" Type=\"Edm.Guid\"/>\n");
        x.append("   </EntityType>\n");
        for (TableDef t : Schema.INSTANCE.tables()) {
            String base = t.logicalName.equals("systemuser") || t.logicalName.equals("team") ? "mscrm.principal" : "mscrm.crmbaseentity";
            x.append("   <EntityType Name=\"").append(t.logicalName).append("\" BaseType=\"").append(base).append("\">\n");
            if (!base.equals("mscrm.principal")) {
                x.append("    <Key><PropertyRef Name=\"").append(t.primaryId).append("\"/></Key>\n");
            }
            for (ColumnDef c : t.byProperty.values()) {
                x.append("    <Property Name=\"").append(c.property).append("\" Type=\"").append(c.edmType()).append('"');
                if (c.type == AttrType.STRING || c.type == AttrType.MEMO) {
                    x.append(" Unicode=\"false\"");
                }
                if (c.type == AttrType.MONEY || c.type == AttrType.DECIMAL) {
                    x.append(" Scale=\"Variable\"");
                }
                x.append("/>\n");
            }
            for (TableDef.Navigation n : t.navigations.values()) {
                String type = n.target() == null ? "mscrm.principal" : "mscrm." + n.target();
                x.append("    <NavigationProperty Name=\"").append(n.name()).append("\" Type=\"").append(type).append("\">\n");
                x.append("     <ReferentialConstraint Property=\"").append(n.column().property).append("\" ReferencedProperty=\"")
                        .append(n.target() == null ? "ownerid" : n.target() + "id").append("\"/>\n");
                x.append("    </NavigationProperty>\n");
            }
            for (RelationshipDef r : t.oneToMany) {
                x.append("    <NavigationProperty Name=\"").append(r.referencedNavigation).append("\" Type=\"Collection(mscrm.")
                        .append(r.referencingEntity).append(")\" Partner=\"").append(r.referencingNavigation).append("\"/>\n");
            }
            for (RelationshipDef r : t.manyToMany) {
                boolean first = r.entity1.equals(t.logicalName);
                x.append("    <NavigationProperty Name=\"").append(first ? r.entity1Navigation : r.entity2Navigation)
                        .append("\" Type=\"Collection(mscrm.").append(first ? r.entity2 : r.entity1).append(")\"/>\n");
            }
            x.append("   </EntityType>\n");
        }
        x.append("   <ComplexType Name=\"WhoAmIResponse\">\n    <Property Name=\"BusinessUnitId\" Type=\"Edm.Guid\" Nullable=\"false\"/>\n")
                .append("    <Property Name=\"UserId\" Type=\"Edm.Guid\" Nullable=\"false\"/>\n")
                .append("    <Property Name=\"OrganizationId\" Type=\"Edm.Guid\" Nullable=\"false\"/>\n   </ComplexType>\n");
        x.append("   <Function Name=\"WhoAmI\"><ReturnType Type=\"mscrm.WhoAmIResponse\" Nullable=\"false\"/></Function>\n");
        x.append("   <Function Name=\"RetrieveUserPrivileges\" IsBound=\"true\"><Parameter Name=\"entity\" Type=\"mscrm.systemuser\""
                + " Nullable=\"false\"/><ReturnType Type=\"mscrm.RetrieveUserPrivilegesResponse\" Nullable=\"false\"/></Function>\n");
        x.append("   <Function Name=\"RetrieveUserSetOfPrivilegesByNames\" IsBound=\"true\"><Parameter Name=\"entity\""
                + " Type=\"mscrm.systemuser\" Nullable=\"false\"/><Parameter Name=\"PrivilegeNames\" Type=\"Collection(Edm.String)\""
                + " Nullable=\"false\"/><ReturnType Type=\"mscrm.RetrieveUserSetOfPrivilegesByNamesResponse\" Nullable=\"false\"/></Function>\n");
        x.append("   <ComplexType Name=\"EntityRecordCountCollection\">\n    <Property Name=\"Count\" Type=\"Edm.Int32\" Nullable=\"false\"/>\n")
                .append("    <Property Name=\"IsReadOnly\" Type=\"Edm.Boolean\" Nullable=\"false\"/>\n")
                .append("    <Property Name=\"Keys\" Type=\"Collection(Edm.String)\"/>\n")
                .append("    <Property Name=\"Values\" Type=\"Collection(Edm.Int64)\" Nullable=\"false\"/>\n   </ComplexType>\n");
        x.append("   <ComplexType Name=\"RetrieveTotalRecordCountResponse\">\n    <Property Name=\"EntityRecordCountCollection\"")
                .append(" Type=\"mscrm.EntityRecordCountCollection\"/>\n   </ComplexType>\n");
        x.append("   <Function Name=\"RetrieveTotalRecordCount\"><Parameter Name=\"EntityNames\" Type=\"Collection(Edm.String)\""
                + " Nullable=\"false\"/><ReturnType Type=\"mscrm.RetrieveTotalRecordCountResponse\" Nullable=\"false\"/></Function>\n");
        for (String action : new String[] {"CreateMultiple", "UpdateMultiple", "UpsertMultiple"}) {
            x.append("   <Action Name=\"").append(action).append("\" IsBound=\"true\"><Parameter Name=\"entityset\"")
                    .append(" Type=\"Collection(mscrm.crmbaseentity)\" Nullable=\"false\"/><Parameter Name=\"Targets\"")
                    .append(" Type=\"Collection(mscrm.crmbaseentity)\" Nullable=\"false\"/></Action>\n");
        }
        x.append("   <EntityContainer Name=\"System\">\n");
        for (TableDef t : Schema.INSTANCE.tables()) {
            x.append("    <EntitySet Name=\"").append(t.entitySetName).append("\" EntityType=\"Microsoft.Dynamics.CRM.")
                    .append(t.logicalName).append("\"");
            if (annotations && t.changeTracking) {
                x.append(">\n     <Annotation Term=\"" + CHANGE_TRACKING + "\">\n      <Record>\n")
                        .append("       <PropertyValue Property=\"Supported\" Bool=\"true\"/>\n      </Record>\n")
                        .append("     </Annotation>\n    </EntitySet>\n");
            } else {
                x.append("/>\n");
            }
        }
        x.append("    <FunctionImport Name=\"WhoAmI\" Function=\"Microsoft.Dynamics.CRM.WhoAmI\"/>\n");
        x.append("    <FunctionImport Name=\"RetrieveTotalRecordCount\" Function=\"Microsoft.Dynamics.CRM.RetrieveTotalRecordCount\"/>\n");
        x.append("   </EntityContainer>\n  </Schema>\n </edmx:DataServices>\n</edmx:Edmx>\n");
        return x.toString().getBytes(StandardCharsets.UTF_8);
    }
}
