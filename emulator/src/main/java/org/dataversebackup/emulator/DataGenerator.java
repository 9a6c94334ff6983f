package org.dataversebackup.emulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes a realistic data set from a {@link DataSetSpec}: ids, values, owners, timestamps and row
 * versions all follow from the seed, so two runs give identical rows. Ids are derived from (seed,
 * kind, index), so rows can point at rows generated later without keeping them in memory.
 */
final class DataGenerator {
    private static final String[] COMPANY_FIRST = {"Contoso", "Fabrikam", "Northwind", "Adventure", "Litware", "Tailspin",
            "Wingtip", "Proseware", "Fourth", "Alpine", "Blue Yonder", "Coho", "Lucerne", "Margie's", "Trey", "Woodgrove",
            "Humongous", "Relecloud", "Wide World", "Southridge"};
    private static final String[] COMPANY_SECOND = {"Traders", "Works", "Systems", "Coffee", "Consulting", "Insurance",
            "Airlines", "Toys", "Vineyard", "Ski Resort", "Bank", "Publishing", "Electronics", "Importers", "Foods",
            "Logistics", "Pharma", "Energy", "Media", "Outfitters"};
    private static final String[] SUFFIX = {"Ltd.", "Inc.", "LLC", "GmbH", "S.A.", "Corp.", "plc", "AG"};
    private static final String[] FIRST = {"Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances",
            "Donald", "Radia", "Edsger", "Hedy", "Tim", "Katherine", "John", "Sophie", "Niklaus", "Jean", "Yukihiro",
            "Anders", "Guido", "Joan", "Bjarne", "Shafi", "Leslie", "Ivan", "Carol", "Erik", "Annie"};
    private static final String[] LAST = {"Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov",
            "Thompson", "Allen", "Knuth", "Perlman", "Dijkstra", "Lamarr", "Berners-Lee", "Johnson", "McCarthy", "Wilson",
            "Wirth", "Sammet", "Matsumoto", "Hejlsberg", "van Rossum", "Clarke", "Stroustrup", "Goldwasser", "Lamport",
            "Sutherland", "Shaw", "Meijer", "Easley"};
    private static final String[] CITY = {"Redmond", "Seattle", "Chicago", "Boston", "Austin", "Denver", "Atlanta",
            "Toronto", "London", "Dublin", "Paris", "Lyon", "Berlin", "Munich", "Zürich", "Madrid", "Lisbon", "Milano",
            "Oslo", "Kraków"};
    private static final String[] COUNTRY = {"United States", "United States", "United States", "United States",
            "United States", "United States", "United States", "Canada", "United Kingdom", "Ireland", "France", "France",
            "Germany", "Germany", "Switzerland", "Spain", "Portugal", "Italy", "Norway", "Poland"};
    private static final String[] STREET = {"Main Street", "Oak Avenue", "Pine Road", "Maple Drive", "Cedar Lane",
            "Elm Street", "Lakeview Boulevard", "Hillcrest Way", "Sunset Avenue", "River Road"};
    private static final String[] JOB = {"Purchasing Manager", "Chief Executive Officer", "Sales Representative",
            "Software Engineer", "Accountant", "Operations Lead", "IT Director", "Marketing Specialist", "Consultant",
            "Project Manager"};
    private static final String[] PROJECT_WORD = {"Migration", "Rollout", "Upgrade", "Audit", "Integration", "Pilot",
            "Redesign", "Onboarding", "Assessment", "Automation"};
    private static final String[] SENTENCES = {"Long-standing customer with yearly contract renewals.",
            "Interested in the premium support plan; follow up after the next quarter.",
            "Prefers communication by email. Invoices go to the accounting department.",
            "Met at the trade fair; evaluating three vendors.",
            "Key account: escalations go to the regional manager. Note the special characters: ü, é, ß, 東京, \"quotes\".",
            "Multi-line note.\nSecond line with a tab\tand a trailing space. "};

    private static final java.util.regex.Pattern NON_LETTERS = java.util.regex.Pattern.compile("[^a-z]");
    private static final java.util.regex.Pattern NON_NAME = java.util.regex.Pattern.compile("[^a-z.]");

    private static final BigDecimal RATE = new BigDecimal("1.0000000000");
    private static final int KIND_ACCOUNT = 1;
    private static final int KIND_CONTACT = 2;
    private static final int KIND_PROJECT = 3;
    private static final int KIND_USER = 4;
    private static final int KIND_TEAM = 5;
    private static final int KIND_LINK = 6;
    private static final int KIND_NOTE = 7;
    private static final int KIND_EMAIL = 8;
    private static final int KIND_PARTY = 9;
    /** One email per this many accounts, at most {@value #MAX_EMAILS}: a few activities, not a load. */
    private static final int ACCOUNTS_PER_EMAIL = 5;
    private static final int MAX_EMAILS = 200;

    private final DataSetSpec spec;
    private final Store store;
    private final SplittableRandom random;
    private final List<Ref> owners = new ArrayList<>();
    private final List<UUID> creators = new ArrayList<>();
    private final UUID rootBu = DirectoryRows.ROOT_BU;
    private final UUID usd = DirectoryRows.USD;
    private long minute;
    /** Rows generated for the current table, stored in key order at the end (appending is cheap). */
    private final List<Object[]> pending = new ArrayList<>();

    private DataGenerator(DataSetSpec spec, Store store) {
        this.spec = spec;
        this.store = store;
        this.random = new SplittableRandom(spec.seed());
    }

    static void generate(EmulatorState state, DataSetSpec spec) {
        DataGenerator g = new DataGenerator(spec, state.store());
        g.directory(state);
        state.store().write(() -> {
            g.accounts();
            g.contacts();
            g.projects();
            g.notes();
            g.emails();
            return null;
        });
        g.files(state.files());
    }

    /**
     * A contract document in the file column of every tenth account and a picture in the image
     * column of every tenth contact (their bytes derive from the row id, so the same spec gives the
     * same files; drawn apart from {@link #random} so the rows stay as before). At most
     * {@value #MAX_GENERATED_FILES} per column, so that benchmark data sets of millions of rows
     * do not hold gigabytes of files in the emulator's memory.
     */
    private void files(FileStore files) {
        for (int i = 0; i < spec.accounts() && i < 10L * MAX_GENERATED_FILES; i += 10) {
            UUID id = id(KIND_ACCOUNT, i);
            files.putKeepingVersion("account", id, "dvb_contract", "contract-" + pad(i + 1, 7) + ".pdf", "application/pdf",
                    fileBytes(id, 1024 + (i * 37) % 4096, "%PDF-1.7\n"));
        }
        long contacts = Math.min((long) spec.accounts() * spec.contactsPerAccount(), 10L * MAX_GENERATED_FILES);
        for (long c = 0; c < contacts; c += 10) {
            UUID id = id(KIND_CONTACT, c);
            files.putKeepingVersion("contact", id, "entityimage", "contact-" + pad(c + 1, 7) + ".png", "image/png",
                    fileBytes(id, 2048 + (int) (c * 53) % 4096, "\u0089PNG\r\n\u001a\n"));
        }
    }

    static final int MAX_GENERATED_FILES = 1_000;

    /**
     * A note on every fifth account and every seventh contact (at most {@value #MAX_GENERATED_FILES}
     * of each): every other one has a small text attachment, base64 in documentbody. Values derive
     * from the parent's id, drawn apart from {@link #random} so the other rows stay as before.
     */
    private void notes() {
        Table table = store.table("annotation");
        long index = 0;
        for (int i = 0; i < spec.accounts() && i < 5L * MAX_GENERATED_FILES; i += 5) {
            add(id(KIND_NOTE, index), note(table.def, index++, new Ref("account", id(KIND_ACCOUNT, i))));
        }
        long contacts = Math.min((long) spec.accounts() * spec.contactsPerAccount(), 7L * MAX_GENERATED_FILES);
        for (long c = 0; c < contacts; c += 7) {
            add(id(KIND_NOTE, index), note(table.def, index++, new Ref("contact", id(KIND_CONTACT, c))));
        }
        flush(table);
    }

    private byte[] note(TableDef def, long index, Ref regarding) {
        SplittableRandom r = new SplittableRandom(regarding.id().getMostSignificantBits() ^ index);
        RowValues v = new RowValues(def);
        v.set("subject", "Call notes " + (index + 1)).set("notetext", SENTENCES[r.nextInt(SENTENCES.length)])
                .set("objectid", regarding).set("objecttypecode", regarding.table());
        boolean document = index % 2 == 0;
        v.set("isdocument", document);
        if (document) {
            byte[] body = ("Minutes of meeting " + (index + 1) + "\n" + SENTENCES[r.nextInt(SENTENCES.length)] + "\n")
                    .repeat(1 + r.nextInt(20)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            v.set("filename", "minutes-" + pad(index + 1, 7) + ".txt").set("mimetype", "text/plain")
                    .set("documentbody", java.util.Base64.getEncoder().encodeToString(body)).set("filesize", body.length);
        }
        Instant created = spec.baseTime().plus(Duration.ofMinutes(index * 17 + r.nextInt(17)));
        UUID creator = creators.get(r.nextInt(creators.size()));
        v.set("createdon", created).set("modifiedon", created).set("createdby", creator).set("modifiedby", creator)
                .set("ownerid", owners.get(r.nextInt(owners.size()))).set("owningbusinessunit", rootBu);
        return store.table("annotation").codec.encode(v.values);
    }

    private static byte[] fileBytes(UUID id, int size, String magic) {
        byte[] data = new byte[size];
        java.util.SplittableRandom bytes = new java.util.SplittableRandom(id.getMostSignificantBits() ^ id.getLeastSignificantBits());
        for (int i = 0; i < size; i++) {
            data[i] = (byte) bytes.nextInt(256);
        }
        byte[] head = magic.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(head, 0, data, 0, Math.min(head.length, size));
        return data;
    }

    UUID id(int kind, long index) {
        long a = mix(spec.seed() * 0x9E3779B97F4A7C15L + kind * 0xC2B2AE3D27D4EB4FL + index);
        long b = mix(a ^ 0x165667B19E3779F9L ^ index);
        a = (a & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        b = (b & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(a, b);
    }

    private static String pad(long value, int width) {
        String digits = Long.toString(value);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void directory(EmulatorState state) {
        UUID admin = UUID.fromString(EmulatorIdentities.SYSTEM_ADMINISTRATOR_ROLE_ID);
        List<UUID> users = new ArrayList<>();
        for (int i = 1; i <= spec.users(); i++) {
            String first = FIRST[(i * 7) % FIRST.length];
            String last = LAST[(i * 11) % LAST.length];
            EmulatorUser user = EmulatorUser.named(String.format(Locale.ROOT, "user%03d@%s", i, EmulatorIdentities.DOMAIN))
                    .name(first, last).systemUserId(id(KIND_USER, i)).objectId(id(KIND_USER, 100_000 + i)).role(admin);
            state.addUserQuietly(user);
            users.add(user.systemUserId());
        }
        for (int i = 1; i <= spec.teams(); i++) {
            EmulatorTeam team = new EmulatorTeam(id(KIND_TEAM, i), "Sales team " + i);
            for (int u = 0; u < users.size(); u++) {
                if (u % Math.max(1, spec.teams()) == i - 1) {
                    team.member(users.get(u));
                }
            }
            state.addTeamQuietly(team);
            owners.add(new Ref("team", team.id()));
        }
        state.changed();
        owners.add(new Ref("systemuser", UUID.fromString(EmulatorIdentities.ADMIN_USER_ID)));
        owners.add(new Ref("systemuser", UUID.fromString(EmulatorIdentities.BASIC_READ_USER_ID)));
        owners.add(new Ref("team", UUID.fromString(EmulatorIdentities.ADMIN_TEAM_ID)));
        for (UUID u : users) {
            owners.add(new Ref("systemuser", u));
        }
        creators.add(UUID.fromString(EmulatorIdentities.ADMIN_USER_ID));
        creators.add(UUID.fromString(EmulatorIdentities.APP_USER_ID));
        creators.addAll(users);
    }

    private Instant nextCreatedOn() {
        minute += 1 + random.nextInt(30);
        return spec.baseTime().plus(Duration.ofMinutes(minute)).plusSeconds(random.nextInt(60));
    }

    private void audit(RowValues v, Ref owner) {
        Instant created = nextCreatedOn();
        Instant modified = random.nextInt(3) == 0 ? created.plus(Duration.ofHours(1 + random.nextInt(2000))) : created;
        UUID creator = creators.get(random.nextInt(creators.size()));
        v.set("createdon", created).set("modifiedon", modified).set("createdby", creator)
                .set("modifiedby", random.nextInt(4) == 0 ? creators.get(random.nextInt(creators.size())) : creator)
                .set("ownerid", owner).set("owningbusinessunit", rootBu)
                .set("transactioncurrencyid", usd).set("exchangerate", RATE);
        boolean inactive = random.nextInt(20) == 0;
        v.set("statecode", inactive ? 1 : 0).set("statuscode", inactive ? 2 : 1);
    }

    private Ref owner() {
        return owners.get(random.nextInt(owners.size()));
    }

    private BigDecimal money(long maxWhole) {
        return BigDecimal.valueOf(random.nextLong(maxWhole * 100), 2).setScale(4);
    }

    private void accounts() {
        Table table = store.table("account");
        TableDef def = table.def;
        for (int i = 0; i < spec.accounts(); i++) {
            String company = COMPANY_FIRST[random.nextInt(COMPANY_FIRST.length)] + " "
                    + COMPANY_SECOND[random.nextInt(COMPANY_SECOND.length)];
            String slug = NON_LETTERS.matcher(company.toLowerCase(Locale.ROOT)).replaceAll("") + i;
            int city = random.nextInt(CITY.length);
            RowValues v = new RowValues(def);
            v.set("name", company + " " + SUFFIX[random.nextInt(SUFFIX.length)] + (i >= 400 ? " #" + i : ""))
                    .set("accountnumber", "ACC-" + pad(i + 1, 7))
                    .set("telephone1", "+1 425 555 " + pad(random.nextInt(10000), 4))
                    .set("emailaddress1", "info@" + slug + ".example")
                    .set("websiteurl", "https://www." + slug + ".example")
                    .set("address1_line1", (1 + random.nextInt(999)) + " " + STREET[random.nextInt(STREET.length)])
                    .set("address1_city", CITY[city])
                    .set("address1_postalcode", pad(random.nextInt(100000), 5))
                    .set("address1_country", COUNTRY[city])
                    .set("numberofemployees", 1 + random.nextInt(50_000))
                    .set("revenue", money(500_000_000L))
                    .set("creditlimit", random.nextBoolean() ? money(1_000_000L) : null)
                    .set("creditonhold", random.nextInt(10) == 0)
                    .set("address1_latitude", Math.round((random.nextDouble() * 180 - 90) * 100000) / 100000.0)
                    .set("industrycode", random.nextInt(4) == 0 ? null : 1 + random.nextInt(10))
                    .set("accountcategorycode", 1 + random.nextInt(2))
                    .set("customertypecode", 1 + random.nextInt(12));
            if (random.nextInt(3) == 0) {
                v.set("description", SENTENCES[random.nextInt(SENTENCES.length)]);
            }
            if (Boolean.TRUE.equals(v.get("creditonhold"))) {
                v.set("lastonholdtime", spec.baseTime().minus(random.nextInt(900), ChronoUnit.DAYS));
            }
            if (i > 0 && random.nextInt(5) == 0) {
                v.set("parentaccountid", id(KIND_ACCOUNT, random.nextInt(i)));
            }
            if (spec.contactsPerAccount() > 0 && random.nextInt(10) < 7) {
                v.set("primarycontactid", id(KIND_CONTACT, (long) i * spec.contactsPerAccount()));
            }
            audit(v, owner());
            add(id(KIND_ACCOUNT, i), table.codec.encode(v.values));
        }
        flush(table);
    }

    private void add(UUID id, byte[] data) {
        pending.add(new Object[] {id, data, store.nextVersion(), Guids.key(id)});
    }

    private void flush(Table table) {
        pending.sort((a, b) -> {
            long[] x = (long[]) a[3];
            long[] y = (long[]) b[3];
            return Guids.compare(x[0], x[1], y[0], y[1]);
        });
        for (Object[] p : pending) {
            store.putWithVersion(table, (UUID) p[0], (byte[]) p[1], (Long) p[2]);
        }
        pending.clear();
    }

    private void contacts() {
        Table table = store.table("contact");
        TableDef def = table.def;
        for (int i = 0; i < spec.accounts(); i++) {
            for (int j = 0; j < spec.contactsPerAccount(); j++) {
                long index = (long) i * spec.contactsPerAccount() + j;
                String first = FIRST[random.nextInt(FIRST.length)];
                String last = LAST[random.nextInt(LAST.length)];
                RowValues v = new RowValues(def);
                v.set("firstname", first).set("lastname", last).set("fullname", first + " " + last)
                        .set("emailaddress1", NON_NAME.matcher((first + "." + last).toLowerCase(Locale.ROOT)).replaceAll("")
                                + index + "@mail.example")
                        .set("telephone1", "+1 206 555 " + pad(random.nextInt(10000), 4))
                        .set("mobilephone", random.nextBoolean() ? "+1 425 555 " + pad(random.nextInt(10000), 4) : null)
                        .set("jobtitle", JOB[random.nextInt(JOB.length)])
                        .set("address1_city", CITY[random.nextInt(CITY.length)])
                        .set("birthdate", random.nextInt(5) == 0 ? null : LocalDate.of(1950 + random.nextInt(50), 1 + random.nextInt(12), 1 + random.nextInt(28)))
                        .set("gendercode", random.nextInt(3) == 0 ? null : 1 + random.nextInt(2))
                        .set("familystatuscode", 1 + random.nextInt(4))
                        .set("preferredcontactmethodcode", 1 + random.nextInt(5))
                        .set("donotemail", random.nextInt(8) == 0)
                        .set("numberofchildren", random.nextInt(5))
                        .set("annualincome", random.nextBoolean() ? money(300_000L) : null);
                if (random.nextInt(4) == 0) {
                    v.set("description", SENTENCES[random.nextInt(SENTENCES.length)]);
                }
                if (j > 0 && random.nextInt(10) == 0) {
                    v.set("parentcustomerid", new Ref("contact", id(KIND_CONTACT, index - 1)));
                } else {
                    v.set("parentcustomerid", new Ref("account", id(KIND_ACCOUNT, i)));
                }
                audit(v, owner());
                add(id(KIND_CONTACT, index), table.codec.encode(v.values));
            }
        }
        flush(table);
    }

    private void projects() {
        Table table = store.table("dvb_project");
        Table links = store.table("dvb_project_contact");
        TableDef def = table.def;
        long contacts = Math.min((long) spec.accounts() * spec.contactsPerAccount(), 10L * MAX_GENERATED_FILES);
        long link = 0;
        List<Object[]> linkRows = new ArrayList<>();
        for (int i = 0; i < spec.projects(); i++) {
            RowValues v = new RowValues(def);
            LocalDate start = LocalDate.of(2023, 1, 1).plusDays(random.nextInt(700));
            v.set("dvb_name", PROJECT_WORD[random.nextInt(PROJECT_WORD.length)] + " " + (i + 1))
                    .set("dvb_code", "PRJ-" + pad(i + 1, 6))
                    .set("dvb_budget", money(2_000_000L))
                    .set("dvb_hours", BigDecimal.valueOf(random.nextInt(1_000_000), 2))
                    .set("dvb_priority", 1 + random.nextInt(5))
                    .set("dvb_completion", Math.round(random.nextDouble() * 10000) / 100.0)
                    .set("dvb_isbillable", random.nextInt(4) != 0)
                    .set("dvb_stage", 100000000 + random.nextInt(4))
                    .set("dvb_startdate", start)
                    .set("dvb_deadline", start.plusDays(30 + random.nextInt(300)).atTime(17, 0).toInstant(java.time.ZoneOffset.UTC));
            if (random.nextInt(2) == 0) {
                v.set("dvb_description", SENTENCES[random.nextInt(SENTENCES.length)]);
            }
            if (spec.accounts() > 0 && random.nextInt(10) < 9) {
                v.set("dvb_accountid", id(KIND_ACCOUNT, random.nextInt(spec.accounts())));
            }
            if (i > 0 && random.nextInt(5) == 0) {
                v.set("dvb_parentprojectid", id(KIND_PROJECT, random.nextInt(i)));
            }
            audit(v, owner());
            UUID projectId = id(KIND_PROJECT, i);
            add(projectId, table.codec.encode(v.values));
            if (contacts > 0) {
                Set<Long> chosen = new LinkedHashSet<>();
                int wanted = (int) Math.min(spec.contactsPerProject(), contacts);
                while (chosen.size() < wanted) {
                    chosen.add(random.nextLong(contacts));
                }
                for (long c : chosen) {
                    UUID contactId = id(KIND_CONTACT, c);
                    RowValues l = new RowValues(links.def).set("dvb_projectid", projectId).set("contactid", contactId);
                    linkRows.add(new Object[] {id(KIND_LINK, link++), links.codec.encode(l.values)});
                }
            }
        }
        flush(table);
        for (Object[] l : linkRows) {
            add((UUID) l[0], (byte[]) l[1]);
        }
        flush(links);
    }

    /**
     * An email regarding every fifth account (at most {@value #MAX_EMAILS}) with parties of the four
     * kinds: from a user, to the account, cc its first contact (when there are contacts) and to an
     * unresolved address (addressused only). Every other email is sent (Completed, Sent), the others
     * drafts. Drawn without {@link #random}, so the other tables' rows stay as they were.
     */
    private void emails() {
        Table table = store.table("email");
        Table parties = store.table("activityparty");
        UUID admin = UUID.fromString(EmulatorIdentities.ADMIN_USER_ID);
        long party = 0;
        List<Object[]> partyRows = new ArrayList<>();
        for (int i = 0, n = 0; i < spec.accounts() && n < MAX_EMAILS; i += ACCOUNTS_PER_EMAIL, n++) {
            UUID emailId = id(KIND_EMAIL, n);
            UUID accountId = id(KIND_ACCOUNT, i);
            boolean sent = n % 2 == 0;
            Instant created = spec.baseTime().plus(Duration.ofHours(n + 1L));
            RowValues v = new RowValues(table.def);
            v.set("subject", "Proposal " + pad(n + 1, 4))
                    .set("description", "<p>Please find our proposal attached. Regards, \"Sales\" – ü é ß</p>")
                    .set("directioncode", true)
                    .set("regardingobjectid", new Ref("account", accountId))
                    .set("ownerid", new Ref("systemuser", admin)).set("owningbusinessunit", rootBu)
                    .set("statecode", sent ? 1 : 0).set("statuscode", sent ? 3 : 1)
                    .set("createdon", created).set("modifiedon", created).set("createdby", admin).set("modifiedby", admin);
            add(emailId, table.codec.encode(v.values));
            partyRows.add(party(parties, party++, emailId, 1, new Ref("systemuser", admin), null));
            partyRows.add(party(parties, party++, emailId, 2, new Ref("account", accountId), "info@account" + i + ".example"));
            if (spec.contactsPerAccount() > 0) {
                partyRows.add(party(parties, party++, emailId, 3,
                        new Ref("contact", id(KIND_CONTACT, (long) i * spec.contactsPerAccount())), null));
            }
            partyRows.add(party(parties, party++, emailId, 2, null, "someone" + n + "@elsewhere.example"));
        }
        flush(table);
        for (Object[] p : partyRows) {
            add((UUID) p[0], (byte[]) p[1]);
        }
        flush(parties);
    }

    private Object[] party(Table parties, long index, UUID emailId, int participation, Ref party, String address) {
        RowValues p = new RowValues(parties.def).set("activityid", emailId)
                .set("participationtypemask", participation).set("partyid", party).set("addressused", address);
        return new Object[] {id(KIND_PARTY, index), parties.codec.encode(p.values)};
    }
}
