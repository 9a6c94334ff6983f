package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Privilege names: "prv" + verb + the table's privilege name (its SchemaName, except systemuser:
 * User, annotation: Note), e.g. prvReadAccount, prvWriteContact, prvReadUser, prvCreatedvb_Project.
 */
final class Privileges {
    static final List<String> VERBS = List.of("Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share");

    /** Table logical name to the entity part of its privilege names. */
    private static final Map<String, String> ENTITY_PART = new LinkedHashMap<>();

    static {
        ENTITY_PART.put("account", "Account");
        ENTITY_PART.put("contact", "Contact");
        ENTITY_PART.put("dvb_project", "dvb_Project");
        ENTITY_PART.put("systemuser", "User");
        ENTITY_PART.put("team", "Team");
        ENTITY_PART.put("businessunit", "BusinessUnit");
        ENTITY_PART.put("transactioncurrency", "TransactionCurrency");
        ENTITY_PART.put("role", "Role");
        // Microsoft names the privileges of annotation after its display name: prvReadNote, prvCreateNote
        ENTITY_PART.put("annotation", "Note");
        // every activity table shares the Activity privileges, and its parties go with it
        ENTITY_PART.put("email", "Activity");
        ENTITY_PART.put("activityparty", "Activity");
    }

    private Privileges() {
    }

    static String entityPart(String table) {
        String part = ENTITY_PART.get(table);
        return part != null ? part : table;
    }

    static String privilegeName(String verb, String table) {
        return "prv" + verb + entityPart(table);
    }

    static List<String> allPrivilegeNames() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (String table : ENTITY_PART.keySet()) {
            for (String verb : VERBS) {
                names.add(privilegeName(verb, table));
            }
        }
        names.add("prvBypassCustomPlugins");
        names.add("prvBypassCustomBusinessLogic");
        names.add("prvActOnBehalfOfAnotherUser");
        return List.copyOf(names);
    }

    /** A stable id per privilege name. */
    static UUID privilegeId(String name) {
        return UUID.nameUUIDFromBytes(("privilege:" + name.toLowerCase(Locale.ROOT)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The canonical spelling of a privilege name given in any case, or the name as given. */
    static String canonical(String name) {
        for (String known : allPrivilegeNames()) {
            if (known.equalsIgnoreCase(name)) {
                return known;
            }
        }
        return name;
    }
}
