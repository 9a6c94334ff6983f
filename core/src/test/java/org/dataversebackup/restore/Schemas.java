package org.dataversebackup.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Saved EntityDefinitions shaped like the Web API's, trimmed to what the tests need. */
final class Schemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Schemas() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String attribute(String name, String type, boolean create, boolean update, String attributeOf, String... targets) {
        StringBuilder t = new StringBuilder("[");
        for (int i = 0; i < targets.length; i++) {
            t.append(i > 0 ? "," : "").append('"').append(targets[i]).append('"');
        }
        t.append(']');
        return "{\"LogicalName\":\"" + name + "\",\"AttributeType\":\"" + type + "\",\"IsValidForCreate\":" + create
                + ",\"IsValidForUpdate\":" + update + ",\"AttributeOf\":" + (attributeOf == null ? "null" : "\"" + attributeOf + "\"")
                + (targets.length > 0 ? ",\"Targets\":" + t : "") + "}";
    }

    static String manyToOne(String attribute, String referenced, String navigation) {
        return "{\"ReferencingAttribute\":\"" + attribute + "\",\"ReferencedEntity\":\"" + referenced
                + "\",\"ReferencingEntityNavigationPropertyName\":\"" + navigation + "\"}";
    }

    static TableSchema account() {
        return TableSchema.parse(json("{\"LogicalName\":\"account\",\"EntitySetName\":\"accounts\",\"PrimaryIdAttribute\":\"accountid\","
                + "\"IsIntersect\":false,\"Attributes\":["
                + attribute("accountid", "Uniqueidentifier", true, false, null) + ","
                + attribute("name", "String", true, true, null) + ","
                + attribute("revenue", "Money", true, true, null) + ","
                + attribute("description", "Memo", true, true, null) + ","
                + attribute("createdon", "DateTime", false, false, null) + ","
                + attribute("statecode", "State", false, true, null) + ","
                + attribute("statuscode", "Status", true, true, null) + ","
                + attribute("parentaccountid", "Lookup", true, true, null, "account") + ","
                + attribute("parentaccountidname", "String", false, false, "parentaccountid") + ","
                + attribute("primarycontactid", "Lookup", true, true, null, "contact") + ","
                + attribute("ownerid", "Owner", true, true, null, "systemuser", "team") + ","
                + attribute("owneridtype", "EntityName", true, true, "ownerid") + ","
                + attribute("owninguser", "Lookup", false, false, null, "systemuser") + ","
                + attribute("transactioncurrencyid", "Lookup", true, true, null, "transactioncurrency")
                + "],\"ManyToOneRelationships\":["
                + manyToOne("parentaccountid", "account", "parentaccountid") + ","
                + manyToOne("primarycontactid", "contact", "primarycontactid") + ","
                + manyToOne("ownerid", "owner", "ownerid") + ","
                + manyToOne("owninguser", "systemuser", "owninguser") + ","
                + manyToOne("transactioncurrencyid", "transactioncurrency", "transactioncurrencyid")
                + "],\"ManyToManyRelationships\":[]}"), "accounts", "accountid");
    }

    static TableSchema contact() {
        return TableSchema.parse(json("{\"LogicalName\":\"contact\",\"EntitySetName\":\"contacts\",\"PrimaryIdAttribute\":\"contactid\","
                + "\"Attributes\":["
                + attribute("contactid", "Uniqueidentifier", true, false, null) + ","
                + attribute("lastname", "String", true, true, null) + ","
                + attribute("parentcustomerid", "Customer", true, true, null, "account", "contact") + ","
                + attribute("ownerid", "Owner", true, true, null, "systemuser", "team")
                + "],\"ManyToOneRelationships\":["
                + manyToOne("parentcustomerid", "account", "parentcustomerid_account") + ","
                + manyToOne("parentcustomerid", "contact", "parentcustomerid_contact") + ","
                + manyToOne("ownerid", "owner", "ownerid")
                + "],\"ManyToManyRelationships\":[{\"SchemaName\":\"dvb_project_contact\",\"IntersectEntityName\":\"dvb_project_contact\","
                + "\"Entity1LogicalName\":\"dvb_project\",\"Entity1IntersectAttribute\":\"dvb_projectid\","
                + "\"Entity1NavigationPropertyName\":\"dvb_project_contact\",\"Entity2LogicalName\":\"contact\","
                + "\"Entity2IntersectAttribute\":\"contactid\",\"Entity2NavigationPropertyName\":\"dvb_project_contact\"}]}"),
                "contacts", "contactid");
    }

    static TableSchema project() {
        return TableSchema.parse(json("{\"LogicalName\":\"dvb_project\",\"EntitySetName\":\"dvb_projects\",\"PrimaryIdAttribute\":\"dvb_projectid\","
                + "\"Attributes\":["
                + attribute("dvb_projectid", "Uniqueidentifier", true, false, null) + ","
                + attribute("dvb_name", "String", true, true, null) + ","
                + attribute("dvb_accountid", "Lookup", true, true, null, "account") + ","
                + attribute("dvb_parentprojectid", "Lookup", true, true, null, "dvb_project")
                + "],\"ManyToOneRelationships\":["
                + manyToOne("dvb_accountid", "account", "dvb_accountid") + ","
                + manyToOne("dvb_parentprojectid", "dvb_project", "dvb_parentprojectid")
                + "]}"), "dvb_projects", "dvb_projectid");
    }
}
