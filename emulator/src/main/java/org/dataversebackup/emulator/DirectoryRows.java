package org.dataversebackup.emulator;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps the Dataverse rows of the directory in step with it: systemuser (people, application users,
 * SYSTEM), team, role, the memberships (teammembership, systemuserroles, teamroles), and the
 * organization's root business unit and base currency.
 */
final class DirectoryRows {
    static final UUID SYSTEM = UUID.fromString(EmulatorIdentities.SYSTEM_USER_ID);
    static final UUID ROOT_BU = UUID.fromString(EmulatorIdentities.ROOT_BUSINESS_UNIT_ID);
    static final UUID USD = UUID.fromString(EmulatorIdentities.BASE_CURRENCY_ID);
    static final Instant CREATED = Instant.parse("2023-01-01T00:00:00Z");

    private DirectoryRows() {
    }

    /** Call with the store's write lock held. */
    static void sync(EmulatorState state, Store store) {
        Schema schema = Schema.INSTANCE;
        // organization rows, created once
        Table bu = store.table("businessunit");
        if (bu.get(ROOT_BU) == null) {
            RowValues v = audited(schema.table("businessunit"));
            v.set("name", "emulator").set("isdisabled", false);
            store.put(bu, ROOT_BU, bu.codec.encode(v.values));
        }
        Table currency = store.table("transactioncurrency");
        if (currency.get(USD) == null) {
            RowValues v = audited(schema.table("transactioncurrency"));
            v.set("currencyname", "US Dollar").set("isocurrencycode", "USD").set("currencysymbol", "$")
                    .set("exchangerate", new BigDecimal("1.0000000000")).set("currencyprecision", 2)
                    .set("statecode", 0).set("statuscode", 1);
            store.put(currency, USD, currency.codec.encode(v.values));
        }

        Table users = store.table("systemuser");
        TableDef userDef = schema.table("systemuser");
        upsert(store, users, SYSTEM, audited(userDef).set("firstname", "").set("lastname", "SYSTEM")
                .set("fullname", "SYSTEM").set("domainname", "").set("accessmode", 0).set("isdisabled", false)
                .set("islicensed", false).set("businessunitid", ROOT_BU));
        for (EmulatorUser u : state.users()) {
            upsert(store, users, u.systemUserId(), audited(userDef)
                    .set("firstname", u.firstName()).set("lastname", u.lastName()).set("fullname", u.fullName().trim())
                    .set("domainname", u.userPrincipalName()).set("internalemailaddress", u.userPrincipalName())
                    .set("azureactivedirectoryobjectid", u.objectId()).set("accessmode", u.accessMode())
                    .set("isdisabled", u.disabled()).set("islicensed", true).set("businessunitid", u.businessUnitId()));
        }
        for (EmulatorApp a : state.applications()) {
            if (a.applicationUserId() == null) {
                continue;
            }
            upsert(store, users, a.applicationUserId(), audited(userDef)
                    .set("firstname", "#").set("lastname", a.name()).set("fullname", "# " + a.name())
                    .set("domainname", "app-" + a.clientId() + "@" + EmulatorIdentities.DOMAIN)
                    .set("internalemailaddress", "app-" + a.clientId() + "@" + EmulatorIdentities.DOMAIN)
                    .set("azureactivedirectoryobjectid", a.objectId()).set("applicationid", UUID.fromString(a.clientId()))
                    .set("accessmode", a.applicationUserAccessMode()).set("isdisabled", a.applicationUserDisabled())
                    .set("islicensed", false).set("businessunitid", a.businessUnitId()));
        }
        Table roles = store.table("role");
        for (EmulatorRole r : state.roles()) {
            upsert(store, roles, r.id(), audited(schema.table("role")).set("name", r.name()).set("businessunitid", r.businessUnitId()));
        }
        Table teams = store.table("team");
        for (EmulatorTeam t : state.teams()) {
            upsert(store, teams, t.id(), audited(schema.table("team")).set("name", t.name()).set("teamtype", 0)
                    .set("isdefault", false).set("businessunitid", t.businessUnitId())
                    .set("administratorid", UUID.fromString(EmulatorIdentities.ADMIN_USER_ID)));
        }

        Map<UUID, UUID[]> userRoles = new LinkedHashMap<>();
        Map<UUID, UUID[]> teamRoles = new LinkedHashMap<>();
        Map<UUID, UUID[]> memberships = new LinkedHashMap<>();
        for (EmulatorUser u : state.users()) {
            for (UUID role : u.roleIds()) {
                userRoles.put(pairId("systemuserroles", u.systemUserId(), role), new UUID[] {u.systemUserId(), role});
            }
        }
        for (EmulatorApp a : state.applications()) {
            if (a.applicationUserId() != null) {
                for (UUID role : a.roleIds()) {
                    userRoles.put(pairId("systemuserroles", a.applicationUserId(), role), new UUID[] {a.applicationUserId(), role});
                }
            }
        }
        for (EmulatorTeam t : state.teams()) {
            for (UUID role : t.roleIds()) {
                teamRoles.put(pairId("teamroles", t.id(), role), new UUID[] {t.id(), role});
            }
            for (UUID member : t.memberIds()) {
                memberships.put(pairId("teammembership", member, t.id()), new UUID[] {member, t.id()});
            }
        }
        intersect(store, "systemuserroles", "systemuserid", "roleid", userRoles);
        intersect(store, "teamroles", "teamid", "roleid", teamRoles);
        intersect(store, "teammembership", "systemuserid", "teamid", memberships);
    }

    static UUID pairId(String table, UUID a, UUID b) {
        return UUID.nameUUIDFromBytes((table + ":" + a + ":" + b).getBytes(StandardCharsets.UTF_8));
    }

    private static void intersect(Store store, String tableName, String first, String second, Map<UUID, UUID[]> desired) {
        Table table = store.table(tableName);
        TableDef def = table.def;
        Set<UUID> existing = new HashSet<>();
        table.scan(true, 0, 0, (hi, lo, data, version) -> {
            existing.add(Guids.fromKey(hi, lo));
            return true;
        });
        for (UUID id : existing) {
            if (!desired.containsKey(id)) {
                store.delete(table, id);
            }
        }
        for (Map.Entry<UUID, UUID[]> e : desired.entrySet()) {
            if (!existing.contains(e.getKey())) {
                RowValues v = new RowValues(def).set(first, e.getValue()[0]).set(second, e.getValue()[1]);
                store.put(table, e.getKey(), table.codec.encode(v.values));
            }
        }
    }

    private static RowValues audited(TableDef def) {
        RowValues v = new RowValues(def);
        v.set("createdon", CREATED).set("modifiedon", CREATED).set("createdby", SYSTEM).set("modifiedby", SYSTEM);
        return v;
    }

    private static void upsert(Store store, Table table, UUID id, RowValues values) {
        Table.Row existing = table.get(id);
        if (existing != null) {
            Object[] old = table.values(existing);
            // keep the original audit columns when nothing else changed
            for (String audit : new String[] {"createdon", "modifiedon", "createdby", "modifiedby"}) {
                values.set(audit, old[table.def.column(audit).storageIndex]);
            }
        }
        byte[] data = table.codec.encode(values.values);
        if (existing != null && Arrays.equals(existing.data(), data)) {
            return;
        }
        store.put(table, id, data);
    }
}
