package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulator's tables, as the standard Dataverse tables and a custom one define them: account,
 * contact, systemuser, team, businessunit, transactioncurrency, role, the custom dvb_project, the
 * intersect tables dvb_project_contact, teammembership, systemuserroles and teamroles, and annotation
 * (notes with their attachment bodies).
 */
final class Schema {
    static final Schema INSTANCE = new Schema();

    private final Map<String, TableDef> tables = new LinkedHashMap<>();
    private final Map<String, TableDef> bySet = new LinkedHashMap<>();
    private final List<RelationshipDef> relationships = new ArrayList<>();

    private Schema() {
        TableDef account = table("account", "Account", "accounts", "Accounts", 1, "UserOwned", "Account", "Accounts");
        TableDef contact = table("contact", "Contact", "contacts", "Contacts", 2, "UserOwned", "Contact", "Contacts");
        TableDef project = table("dvb_project", "dvb_Project", "dvb_projects", "dvb_Projects", 10010, "UserOwned", "Project", "Projects");
        TableDef systemuser = table("systemuser", "SystemUser", "systemusers", "SystemUsers", 8, "BusinessOwned", "User", "Users");
        TableDef team = table("team", "Team", "teams", "Teams", 9, "BusinessOwned", "Team", "Teams");
        TableDef businessunit = table("businessunit", "BusinessUnit", "businessunits", "BusinessUnits", 10, "BusinessParented", "Business Unit", "Business Units");
        TableDef currency = table("transactioncurrency", "TransactionCurrency", "transactioncurrencies", "TransactionCurrencies", 9105, "OrganizationOwned", "Currency", "Currencies");
        TableDef role = table("role", "Role", "roles", "Roles", 1036, "BusinessOwned", "Security Role", "Security Roles");
        TableDef projectContact = table("dvb_project_contact", "dvb_project_contact", "dvb_project_contactset", "dvb_project_contactset", 10011, "None", "dvb_project_contact", "dvb_project_contact");
        TableDef membership = table("teammembership", "TeamMembership", "teammemberships", "TeamMemberships", 23, "None", "Team Membership", "Team Memberships");
        TableDef userRoles = table("systemuserroles", "SystemUserRoles", "systemuserrolescollection", "SystemUserRolesCollection", 15, "None", "User Roles", "User Roles");
        TableDef teamRoles = table("teamroles", "TeamRoles", "teamrolescollection", "TeamRolesCollection", 40, "None", "Team Roles", "Team Roles");
        notes();

        // ------------------------------------------------------------------ account
        account.writable = true;
        account.description = "Business that represents a customer or potential customer.";
        pk(account, "accountid", "AccountId", "Account");
        ColumnDef name = string(account, "name", "Name", "Account Name", 160, "Text");
        name.primaryName = true;
        name.requiredLevel = "ApplicationRequired";
        account.primaryName = "name";
        string(account, "accountnumber", "AccountNumber", "Account Number", 20, "Text");
        string(account, "telephone1", "Telephone1", "Main Phone", 50, "Phone");
        string(account, "emailaddress1", "EMailAddress1", "Email", 100, "Email");
        string(account, "websiteurl", "WebSiteURL", "Website", 200, "Url");
        string(account, "address1_line1", "Address1_Line1", "Address 1: Street 1", 250, "Text");
        string(account, "address1_city", "Address1_City", "Address 1: City", 80, "Text");
        string(account, "address1_postalcode", "Address1_PostalCode", "Address 1: ZIP/Postal Code", 20, "Text");
        string(account, "address1_country", "Address1_Country", "Address 1: Country/Region", 80, "Text");
        memo(account, "description", "Description", "Description", 2000);
        integer(account, "numberofemployees", "NumberOfEmployees", "Number of Employees", 0, 1_000_000_000);
        money(account, "revenue", "Revenue", "Annual Revenue");
        money(account, "creditlimit", "CreditLimit", "Credit Limit");
        bool(account, "creditonhold", "CreditOnHold", "Credit Hold", "Yes", "No");
        doubleColumn(account, "address1_latitude", "Address1_Latitude", "Address 1: Latitude", 5, -90, 90);
        picklist(account, "industrycode", "IndustryCode", "Industry", options(
                1, "Accounting", 2, "Agriculture and Non-petrol Natural Resource Extraction",
                3, "Broadcasting Printing and Publishing", 4, "Brokers", 5, "Building Supply Retail",
                6, "Business Services", 7, "Consulting", 8, "Consumer Services",
                9, "Design, Direction and Creative Management", 10, "Distributors, Dispatchers and Processors"));
        picklist(account, "accountcategorycode", "AccountCategoryCode", "Category", options(1, "Preferred Customer", 2, "Standard"));
        picklist(account, "customertypecode", "CustomerTypeCode", "Relationship Type", options(
                1, "Competitor", 2, "Consultant", 3, "Customer", 4, "Investor", 5, "Partner", 6, "Influencer",
                7, "Press", 8, "Prospect", 9, "Reseller", 10, "Supplier", 11, "Vendor", 12, "Other"));
        dateTime(account, "lastonholdtime", "LastOnHoldTime", "Last On Hold Time", "UserLocal");
        lookup(account, "parentaccountid", "ParentAccountId", "Parent Account", "account", "parentaccountid",
                "account_parent_account", "account_parent_account", "RemoveLink").hierarchical = true;
        lookup(account, "primarycontactid", "PrimaryContactId", "Primary Contact", "contact", "primarycontactid",
                "account_primary_contact", "account_primary_contact", "RemoveLink");
        file(account, "dvb_contract", "dvb_Contract", "Contract", 1024 * 1024);
        image(account, "dvb_logo", "dvb_Logo", "Logo", 10 * 1024, false, false);
        businessColumns(account, true, "account");
        account.keys.add(key(account, "dvb_accountnumberkey", "dvb_AccountNumberKey", "accountnumber"));

        // ------------------------------------------------------------------ contact
        contact.writable = true;
        contact.description = "Person with whom a business unit has a relationship, such as customer, supplier, and colleague.";
        pk(contact, "contactid", "ContactId", "Contact");
        string(contact, "firstname", "FirstName", "First Name", 50, "Text");
        string(contact, "lastname", "LastName", "Last Name", 50, "Text").requiredLevel = "ApplicationRequired";
        ColumnDef fullname = string(contact, "fullname", "FullName", "Full Name", 160, "Text");
        fullname.primaryName = true;
        fullname.validForCreate = false;
        fullname.validForUpdate = false;
        contact.primaryName = "fullname";
        string(contact, "emailaddress1", "EMailAddress1", "Email", 100, "Email");
        string(contact, "telephone1", "Telephone1", "Business Phone", 50, "Phone");
        string(contact, "mobilephone", "MobilePhone", "Mobile Phone", 50, "Phone");
        string(contact, "jobtitle", "JobTitle", "Job Title", 100, "Text");
        string(contact, "address1_city", "Address1_City", "Address 1: City", 80, "Text");
        memo(contact, "description", "Description", "Description", 2000);
        dateTime(contact, "birthdate", "BirthDate", "Birthday", "DateOnly");
        picklist(contact, "gendercode", "GenderCode", "Gender", options(1, "Male", 2, "Female"));
        picklist(contact, "familystatuscode", "FamilyStatusCode", "Marital Status", options(1, "Single", 2, "Married", 3, "Divorced", 4, "Widowed"));
        picklist(contact, "preferredcontactmethodcode", "PreferredContactMethodCode", "Preferred Method of Contact",
                options(1, "Any", 2, "Email", 3, "Phone", 4, "Fax", 5, "Mail"));
        bool(contact, "donotemail", "DoNotEMail", "Do not allow Emails", "Do Not Allow", "Allow");
        integer(contact, "numberofchildren", "NumberOfChildren", "No. of Children", 0, 1_000_000_000);
        money(contact, "annualincome", "AnnualIncome", "Annual Income");
        customer(contact, "parentcustomerid", "ParentCustomerId", "Company Name",
                new String[] {"account", "parentcustomerid_account", "contact_customer_accounts", "contact_customer_accounts", "Cascade"},
                new String[] {"contact", "parentcustomerid_contact", "contact_customer_contacts", "contact_customer_contacts", "Cascade"});
        image(contact, "entityimage", "EntityImage", "Entity Image", 10 * 1024, true, true);
        contact.primaryImage = "entityimage";
        businessColumns(contact, true, "contact");

        // ------------------------------------------------------------------ dvb_project (custom)
        project.writable = true;
        project.custom = true;
        project.description = "A project run for a customer (custom table of the emulator).";
        pk(project, "dvb_projectid", "dvb_ProjectId", "Project");
        ColumnDef projectName = string(project, "dvb_name", "dvb_Name", "Name", 100, "Text");
        projectName.primaryName = true;
        projectName.requiredLevel = "ApplicationRequired";
        project.primaryName = "dvb_name";
        string(project, "dvb_code", "dvb_Code", "Code", 20, "Text");
        memo(project, "dvb_description", "dvb_Description", "Description", 4000);
        money(project, "dvb_budget", "dvb_Budget", "Budget");
        decimal(project, "dvb_hours", "dvb_Hours", "Estimated Hours", 2, 0, 100_000_000);
        integer(project, "dvb_priority", "dvb_Priority", "Priority", 1, 5);
        doubleColumn(project, "dvb_completion", "dvb_Completion", "Completion", 2, 0, 100);
        bool(project, "dvb_isbillable", "dvb_IsBillable", "Billable", "Yes", "No");
        picklist(project, "dvb_stage", "dvb_Stage", "Stage", options(100000000, "Planned", 100000001, "Active",
                100000002, "On hold", 100000003, "Closed"));
        dateTime(project, "dvb_startdate", "dvb_StartDate", "Start Date", "DateOnly");
        dateTime(project, "dvb_deadline", "dvb_Deadline", "Deadline", "UserLocal");
        lookup(project, "dvb_accountid", "dvb_AccountId", "Account", "account", "dvb_AccountId",
                "dvb_account_dvb_project_accountid", "dvb_account_dvb_project_accountid", "RemoveLink");
        lookup(project, "dvb_parentprojectid", "dvb_ParentProjectId", "Parent Project", "dvb_project", "dvb_ParentProjectId",
                "dvb_dvb_project_dvb_parentprojectid", "dvb_dvb_project_dvb_parentprojectid", "RemoveLink").hierarchical = true;
        businessColumns(project, true, "dvb_project");
        for (ColumnDef c : project.columns()) {
            if (c.logicalName.startsWith("dvb_")) {
                c.custom = true;
            }
        }
        project.keys.add(key(project, "dvb_codekey", "dvb_CodeKey", "dvb_code"));

        // ------------------------------------------------------------------ systemuser
        systemuser.description = "Person with access to the Microsoft CRM system and who owns objects in the Microsoft CRM database.";
        pk(systemuser, "systemuserid", "SystemUserId", "User");
        string(systemuser, "firstname", "FirstName", "First Name", 64, "Text");
        string(systemuser, "lastname", "LastName", "Last Name", 64, "Text");
        ColumnDef userName = string(systemuser, "fullname", "FullName", "Full Name", 200, "Text");
        userName.primaryName = true;
        userName.validForCreate = false;
        userName.validForUpdate = false;
        systemuser.primaryName = "fullname";
        string(systemuser, "domainname", "DomainName", "User Name", 1024, "Text").requiredLevel = "SystemRequired";
        string(systemuser, "internalemailaddress", "InternalEMailAddress", "Primary Email", 100, "Email");
        uniqueIdentifier(systemuser, "azureactivedirectoryobjectid", "AzureActiveDirectoryObjectId", "Azure AD Object ID");
        uniqueIdentifier(systemuser, "applicationid", "ApplicationId", "Application ID");
        picklist(systemuser, "accessmode", "AccessMode", "Access Mode", options(0, "Read-Write", 1, "Administrative",
                2, "Read", 3, "Support User", 4, "Non-interactive", 5, "Delegated Admin"));
        bool(systemuser, "isdisabled", "IsDisabled", "Status", "Disabled", "Enabled").validForUpdate = false;
        bool(systemuser, "islicensed", "IsLicensed", "User Licensed", "Yes", "No");
        lookup(systemuser, "businessunitid", "BusinessUnitId", "Business Unit", "businessunit", "businessunitid",
                "business_unit_system_users", "business_unit_system_users", "Restrict");
        auditColumns(systemuser, "systemuser");

        // ------------------------------------------------------------------ team
        pk(team, "teamid", "TeamId", "Team");
        ColumnDef teamName = string(team, "name", "Name", "Team Name", 160, "Text");
        teamName.primaryName = true;
        team.primaryName = "name";
        picklist(team, "teamtype", "TeamType", "Team Type", options(0, "Owner", 1, "Access", 2, "Security Group", 3, "Office Group"));
        bool(team, "isdefault", "IsDefault", "Is Default", "Yes", "No");
        memo(team, "description", "Description", "Description", 2000);
        lookup(team, "businessunitid", "BusinessUnitId", "Business Unit", "businessunit", "businessunitid",
                "business_unit_teams", "business_unit_teams", "Restrict");
        lookup(team, "administratorid", "AdministratorId", "Administrator", "systemuser", "administratorid",
                "lk_teambase_administratorid", "lk_teambase_administratorid", "Restrict");
        auditColumns(team, "team");

        // ------------------------------------------------------------------ businessunit
        businessunit.changeTracking = false;
        pk(businessunit, "businessunitid", "BusinessUnitId", "Business Unit");
        ColumnDef buName = string(businessunit, "name", "Name", "Name", 160, "Text");
        buName.primaryName = true;
        businessunit.primaryName = "name";
        bool(businessunit, "isdisabled", "IsDisabled", "Is Disabled", "Yes", "No");
        lookup(businessunit, "parentbusinessunitid", "ParentBusinessUnitId", "Parent Business", "businessunit",
                "parentbusinessunitid", "business_unit_parent_business_unit", "business_unit_parent_business_unit", "Restrict")
                .hierarchical = true;
        auditColumns(businessunit, "businessunit");

        // ------------------------------------------------------------------ transactioncurrency
        currency.changeTracking = false;
        pk(currency, "transactioncurrencyid", "TransactionCurrencyId", "Transaction Currency");
        ColumnDef currencyName = string(currency, "currencyname", "CurrencyName", "Currency Name", 100, "Text");
        currencyName.primaryName = true;
        currency.primaryName = "currencyname";
        string(currency, "isocurrencycode", "ISOCurrencyCode", "Currency Code", 5, "Text");
        string(currency, "currencysymbol", "CurrencySymbol", "Currency Symbol", 13, "Text");
        decimal(currency, "exchangerate", "ExchangeRate", "Exchange Rate", 10, 0.0000000001, 100000000000.0);
        integer(currency, "currencyprecision", "CurrencyPrecision", "Currency Precision", 0, 4);
        stateStatus(currency);
        auditColumns(currency, "transactioncurrency");

        // ------------------------------------------------------------------ role
        role.changeTracking = false;
        pk(role, "roleid", "RoleId", "Role");
        ColumnDef roleName = string(role, "name", "Name", "Name", 100, "Text");
        roleName.primaryName = true;
        role.primaryName = "name";
        lookup(role, "businessunitid", "BusinessUnitId", "Business Unit", "businessunit", "businessunitid",
                "business_unit_roles", "business_unit_roles", "Restrict");
        auditColumns(role, "role");

        // ------------------------------------------------------------------ intersect tables and N:N
        intersect(projectContact, "dvb_project_contactid", "dvb_projectid", "contactid");
        intersect(membership, "teammembershipid", "systemuserid", "teamid");
        intersect(userRoles, "systemuserroleid", "systemuserid", "roleid");
        intersect(teamRoles, "teamroleid", "teamid", "roleid");
        RelationshipDef projectContacts = RelationshipDef.manyToMany("dvb_project_contact", "dvb_project_contact",
                "dvb_project", "dvb_projectid", "dvb_project_contact", "contact", "contactid", "dvb_project_contact");
        projectContacts.custom = true;
        manyToMany(projectContacts);
        manyToMany(RelationshipDef.manyToMany("teammembership_association", "teammembership", "systemuser", "systemuserid",
                "teammembership_association", "team", "teamid", "teammembership_association"));
        manyToMany(RelationshipDef.manyToMany("systemuserroles_association", "systemuserroles", "systemuser", "systemuserid",
                "systemuserroles_association", "role", "roleid", "systemuserroles_association"));
        manyToMany(RelationshipDef.manyToMany("teamroles_association", "teamroles", "team", "teamid",
                "teamroles_association", "role", "roleid", "teamroles_association"));

        activities();

        for (TableDef t : tables.values()) {
            t.seal();
        }
    }

    /**
     * annotation (Note), as Microsoft's annotation EntityType reference documents it: a note is attached
     * to a record through the polymorphic lookup objectid (objectid_account, objectid_contact),
     * objecttypecode names the table it is attached to, and an attachment is the base64 string
     * documentbody with filename, mimetype and the read-only filesize. Kept apart from the other
     * tables so that tables added in parallel (email, activityparty) merge cleanly.
     */
    private void notes() {
        TableDef note = table("annotation", "Annotation", "annotations", "Annotations", 5, "UserOwned", "Note", "Notes");
        note.writable = true;
        note.description = "Note that is attached to one or more objects, including other notes.";
        pk(note, "annotationid", "AnnotationId", "Note");
        ColumnDef subject = string(note, "subject", "Subject", "Title", 500, "Text");
        subject.primaryName = true;
        note.primaryName = "subject";
        memo(note, "notetext", "NoteText", "Description", 100_000);
        bool(note, "isdocument", "IsDocument", "Is Document", "Yes", "No");
        string(note, "filename", "FileName", "File Name", 255, "Text");
        string(note, "mimetype", "MimeType", "Mime Type", 256, "Text");
        // documentbody is Edm.String (base64) in the Web API; MaxLength as the attribute metadata shows
        memo(note, "documentbody", "DocumentBody", "Document", 1_073_741_823);
        ColumnDef fileSize = integer(note, "filesize", "FileSize", "File Size (Bytes)", 0, 1_000_000_000);
        fileSize.validForCreate = false;
        fileSize.validForUpdate = false;
        // objecttypecode is a property of its own on annotation (below), not a helper of the lookup
        polymorphicLookup(note, "objectid", "ObjectId", "Regarding", null, "Cascade",
                new String[] {"account", "objectid_account", "Account_Annotation", "Account_Annotation"},
                new String[] {"contact", "objectid_contact", "Contact_Annotation", "Contact_Annotation"});
        ColumnDef objectType = note.add(new ColumnDef(note.logicalName, "objecttypecode", "ObjectTypeCode", AttrType.ENTITYNAME,
                "Object Type"));
        objectType.ownProperty = true;
        objectType.storage = AttrType.Storage.STRING;
        objectType.maxLength = 64;
        businessColumns(note, false, "annotation", false);
    }

    /**
     * The email activity and its activity parties (activityparty-entity, reference/entities/email and
     * activityparty): parties are readable as a table (RetrieveMultiple only) and as the email's
     * {@code email_activity_parties} collection; they are written only inline with the email (deep insert).
     */
    private void activities() {
        TableDef email = table("email", "Email", "emails", "Emails", 4202, "UserOwned", "Email", "Email Messages");
        TableDef party = table("activityparty", "ActivityParty", "activityparties", "ActivityParties", 135, "None",
                "Activity Party", "Activity Parties");

        email.writable = true;
        email.description = "Activity that is delivered using email protocols.";
        pk(email, "activityid", "ActivityId", "Email Message");
        ColumnDef subject = string(email, "subject", "Subject", "Subject", 400, "Text");
        subject.primaryName = true;
        email.primaryName = "subject";
        memo(email, "description", "Description", "Description", 1_048_576);
        bool(email, "directioncode", "DirectionCode", "Direction", "Outgoing", "Incoming");
        polymorphicLookup(email, "regardingobjectid", "RegardingObjectId", "Regarding", "regardingobjecttypecode", "Cascade",
                new String[] {"account", "regardingobjectid_account_email", "Account_Emails", "Account_Email_EmailSender"},
                new String[] {"contact", "regardingobjectid_contact_email", "Contact_Emails", "Contact_Emails"},
                new String[] {"dvb_project", "regardingobjectid_dvb_project_email", "dvb_project_Emails", "dvb_project_Emails"});
        businessColumns(email, false, "activitypointer");
        // the email's states and status reasons (statecode is set by an update, as for every table)
        ColumnDef state = email.column("statecode");
        state.options.clear();
        state.options.put(0, "Open");
        state.options.put(1, "Completed");
        state.options.put(2, "Canceled");
        ColumnDef status = email.column("statuscode");
        status.options.clear();
        status.statusState.clear();
        Object[][] statuses = {{1, "Draft", 0}, {8, "Failed", 0}, {2, "Completed", 1}, {3, "Sent", 1}, {4, "Received", 1},
                {6, "Pending Send", 1}, {7, "Sending", 1}, {5, "Canceled", 2}};
        for (Object[] s : statuses) {
            status.options.put((Integer) s[0], (String) s[1]);
            status.statusState.put((Integer) s[0], (Integer) s[2]);
        }

        // change tracking on, as for the activities: incremental snapshots follow added and removed parties
        party.description = "Person or group associated with an activity. An activity can have multiple activity parties.";
        pk(party, "activitypartyid", "ActivityPartyId", "Activity Party");
        lookup(party, "activityid", "ActivityId", "Activity", "email", "activityid_email",
                "email_activity_parties", "email_activity_parties", "Cascade");
        polymorphicLookup(party, "partyid", "PartyId", "Party", "partyobjecttypecode", "RemoveLink",
                new String[] {"account", "partyid_account", "account_activity_parties", "account_activity_parties"},
                new String[] {"contact", "partyid_contact", "contact_activity_parties", "contact_activity_parties"},
                new String[] {"systemuser", "partyid_systemuser", "system_user_activity_parties", "system_user_activity_parties"});
        picklist(party, "participationtypemask", "ParticipationTypeMask", "Participation Type", options(
                1, "Sender", 2, "To Recipient", 3, "CC Recipient", 4, "BCC Recipient", 5, "Required attendee",
                6, "Optional attendee", 7, "Organizer", 8, "Regarding", 9, "Owner", 10, "Resource", 11, "Customer",
                12, "Chat Participant", 13, "Related"));
        string(party, "addressused", "AddressUsed", "Address", 320, "Text");
        party.primaryName = "partyidname";
        ColumnDef version = party.add(new ColumnDef(party.logicalName, "versionnumber", "VersionNumber", AttrType.BIGINT, "Version Number"));
        version.validForCreate = false;
        version.validForUpdate = false;
        version.storage = AttrType.Storage.NONE;
    }

    /**
     * A lookup to one of several tables (as regardingobjectid and partyid): AttributeType Lookup with
     * several Targets, one navigation property per target; {target, navigation, relationship,
     * referenced navigation} per target. The row keeps the table with the id. {@code typeColumn}:
     * the helper column naming the table (null where the table has it as a column of its own).
     */
    private void polymorphicLookup(TableDef t, String logicalName, String schemaName, String displayName, String typeColumn,
            String cascade, String[]... targets) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.LOOKUP, displayName));
        c.format = "None";
        c.storage = AttrType.Storage.REF;
        for (String[] target : targets) {
            c.targets.add(target[0]);
            c.navigationByTarget.put(target[0], target[1]);
            t.navigations.put(target[1], new TableDef.Navigation(target[1], c, target[0]));
            RelationshipDef r = RelationshipDef.oneToMany(target[2], target[0], target[0] + "id", t.logicalName,
                    logicalName, target[1], target[3]);
            r.cascadeDelete = cascade;
            relationship(r);
        }
        helper(t, logicalName + "name", schemaName + "Name", AttrType.STRING, logicalName);
        if (typeColumn != null) {
            helper(t, typeColumn, typeColumn, AttrType.ENTITYNAME, logicalName);
        }
    }

    // ------------------------------------------------------------------ access

    TableDef table(String logicalName) {
        return tables.get(logicalName);
    }

    TableDef bySet(String entitySetName) {
        return bySet.get(entitySetName);
    }

    Collection<TableDef> tables() {
        return tables.values();
    }

    List<RelationshipDef> relationships() {
        return relationships;
    }

    RelationshipDef relationship(String schemaName) {
        for (RelationshipDef r : relationships) {
            if (r.schemaName.equals(schemaName)) {
                return r;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ builders

    private TableDef table(String logicalName, String schemaName, String set, String collectionSchemaName, int otc,
            String ownership, String displayName, String displayCollectionName) {
        TableDef t = new TableDef(logicalName, schemaName, set, collectionSchemaName, otc, ownership, displayName, displayCollectionName);
        tables.put(logicalName, t);
        bySet.put(set, t);
        return t;
    }

    private static ColumnDef pk(TableDef t, String logicalName, String schemaName, String displayName) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.UNIQUEIDENTIFIER, displayName));
        c.primaryId = true;
        c.validForUpdate = false;
        c.requiredLevel = "SystemRequired";
        t.primaryId = logicalName;
        return c;
    }

    private static ColumnDef string(TableDef t, String logicalName, String schemaName, String displayName, int maxLength, String format) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.STRING, displayName));
        c.maxLength = maxLength;
        c.format = format;
        return c;
    }

    private static ColumnDef memo(TableDef t, String logicalName, String schemaName, String displayName, int maxLength) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.MEMO, displayName));
        c.maxLength = maxLength;
        c.format = "TextArea";
        return c;
    }

    private static ColumnDef integer(TableDef t, String logicalName, String schemaName, String displayName, int min, int max) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.INTEGER, displayName));
        c.minValue = min;
        c.maxValue = max;
        c.format = "None";
        return c;
    }

    private static ColumnDef decimal(TableDef t, String logicalName, String schemaName, String displayName, int precision,
            double min, double max) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.DECIMAL, displayName));
        c.precision = precision;
        c.minValue = min;
        c.maxValue = max;
        return c;
    }

    private static ColumnDef doubleColumn(TableDef t, String logicalName, String schemaName, String displayName,
            int precision, double min, double max) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.DOUBLE, displayName));
        c.precision = precision;
        c.minValue = min;
        c.maxValue = max;
        return c;
    }

    private static ColumnDef money(TableDef t, String logicalName, String schemaName, String displayName) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.MONEY, displayName));
        c.precision = 4;
        c.minValue = -922337203685477.0;
        c.maxValue = 922337203685477.0;
        ColumnDef base = t.add(new ColumnDef(t.logicalName, logicalName + "_base", schemaName + "_Base", AttrType.MONEY,
                displayName + " (Base)"));
        base.precision = 4;
        base.minValue = c.minValue;
        base.maxValue = c.maxValue;
        base.validForCreate = false;
        base.validForUpdate = false;
        base.computed = ColumnDef.Computed.BASE_AMOUNT;
        base.baseOf = logicalName;
        return c;
    }

    private static ColumnDef bool(TableDef t, String logicalName, String schemaName, String displayName, String trueLabel,
            String falseLabel) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.BOOLEAN, displayName));
        c.options.put(1, trueLabel);
        c.options.put(0, falseLabel);
        helper(t, logicalName + "name", schemaName + "Name", AttrType.VIRTUAL, logicalName);
        return c;
    }

    private static ColumnDef picklist(TableDef t, String logicalName, String schemaName, String displayName, Map<Integer, String> options) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.PICKLIST, displayName));
        c.options.putAll(options);
        helper(t, logicalName + "name", schemaName + "Name", AttrType.VIRTUAL, logicalName);
        return c;
    }

    private static ColumnDef dateTime(TableDef t, String logicalName, String schemaName, String displayName, String behavior) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.DATETIME, displayName));
        c.dateBehavior = behavior;
        c.format = "DateOnly".equals(behavior) ? "DateOnly" : "DateAndTime";
        return c;
    }

    private static ColumnDef uniqueIdentifier(TableDef t, String logicalName, String schemaName, String displayName) {
        return t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.UNIQUEIDENTIFIER, displayName));
    }

    /**
     * A file column (file-column-data): its row value is the file id; the read-only
     * {@code <column>_name} holds the file's name. Files are written only through the file APIs.
     */
    private static ColumnDef file(TableDef t, String logicalName, String schemaName, String displayName, int maxSizeInKB) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.FILE, displayName));
        c.maxSizeInKB = maxSizeInKB;
        c.custom = logicalName.startsWith("dvb_");
        c.validForCreate = false;
        c.validForUpdate = false;
        ColumnDef name = companion(t, logicalName + "_name", schemaName + "_Name", AttrType.STRING, logicalName);
        name.maxLength = 200;
        return c;
    }

    /**
     * An image column (image-column-data): its row value is the thumbnail (base64), with the companion
     * columns {@code <column>id}, {@code <column>_timestamp} and {@code <column>_url}. The emulator
     * takes images through the file APIs only (Dataverse also takes them as a base64 property on
     * create and update).
     */
    private static ColumnDef image(TableDef t, String logicalName, String schemaName, String displayName, int maxSizeInKB,
            boolean canStoreFullImage, boolean primaryImage) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.IMAGE, displayName));
        c.maxSizeInKB = maxSizeInKB;
        c.canStoreFullImage = canStoreFullImage;
        c.primaryImage = primaryImage;
        c.custom = logicalName.startsWith("dvb_");
        c.validForCreate = false;
        c.validForUpdate = false;
        companion(t, logicalName + "id", schemaName + "Id", AttrType.UNIQUEIDENTIFIER, logicalName);
        companion(t, logicalName + "_timestamp", schemaName + "_Timestamp", AttrType.BIGINT, logicalName);
        companion(t, logicalName + "_url", schemaName + "_URL", AttrType.STRING, logicalName).maxLength = 200;
        return c;
    }

    /** A read-only column that supports a file or image column and is a Web API property of its own. */
    private static ColumnDef companion(TableDef t, String logicalName, String schemaName, AttrType type, String attributeOf) {
        ColumnDef c = helper(t, logicalName, schemaName, type, attributeOf);
        c.ownProperty = true;
        c.custom = logicalName.startsWith("dvb_");
        c.format = type == AttrType.STRING ? (logicalName.endsWith("_url") ? "Url" : "Text") : null;
        return c;
    }

    private static ColumnDef helper(TableDef t, String logicalName, String schemaName, AttrType type, String attributeOf) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, type, logicalName));
        c.attributeOf = attributeOf;
        c.validForCreate = false;
        c.validForUpdate = false;
        c.validForRead = true;
        if (type == AttrType.STRING) {
            c.maxLength = 160;
            c.format = "Text";
        }
        return c;
    }

    /** A lookup to one table, its name/yomi helper columns and the 1:N relationship. */
    private ColumnDef lookup(TableDef t, String logicalName, String schemaName, String displayName, String target,
            String navigation, String relationship, String referencedNavigation, String cascade) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.LOOKUP, displayName));
        c.targets.add(target);
        c.format = "None";
        c.navigationByTarget.put(target, navigation);
        helper(t, logicalName + "name", schemaName + "Name", AttrType.STRING, logicalName);
        if (!"businessunitid".equals(logicalName) && !logicalName.startsWith("owning") && !"transactioncurrencyid".equals(logicalName)) {
            helper(t, logicalName + "yominame", schemaName + "YomiName", AttrType.STRING, logicalName);
        }
        t.navigations.put(navigation, new TableDef.Navigation(navigation, c, target));
        RelationshipDef r = RelationshipDef.oneToMany(relationship, target, target + "id", t.logicalName, logicalName,
                navigation, referencedNavigation);
        r.cascadeDelete = cascade;
        r.custom = t.custom || logicalName.startsWith("dvb_");
        relationship(r);
        return c;
    }

    /** A Customer lookup: {target, navigation, relationship, referenced navigation, cascade} per target. */
    private void customer(TableDef t, String logicalName, String schemaName, String displayName, String[]... targets) {
        ColumnDef c = t.add(new ColumnDef(t.logicalName, logicalName, schemaName, AttrType.CUSTOMER, displayName));
        c.format = "None";
        for (String[] target : targets) {
            c.targets.add(target[0]);
            c.navigationByTarget.put(target[0], target[1]);
            t.navigations.put(target[1], new TableDef.Navigation(target[1], c, target[0]));
            RelationshipDef r = RelationshipDef.oneToMany(target[2], target[0], target[0] + "id", t.logicalName,
                    logicalName, target[1], target[3]);
            r.cascadeDelete = target[4];
            relationship(r);
        }
        helper(t, logicalName + "name", schemaName + "Name", AttrType.STRING, logicalName);
        helper(t, logicalName + "yominame", schemaName + "YomiName", AttrType.STRING, logicalName);
        helper(t, logicalName + "type", schemaName + "Type", AttrType.ENTITYNAME, logicalName);
    }

    /** Owner, state and status, currency and the audit columns of a user-owned business table. */
    private void businessColumns(TableDef t, boolean currency, String prefix) {
        businessColumns(t, currency, prefix, true);
    }

    /** As above; {@code withState} false for tables without statecode and statuscode (annotation). */
    private void businessColumns(TableDef t, boolean currency, String prefix, boolean withState) {
        ColumnDef owner = t.add(new ColumnDef(t.logicalName, "ownerid", "OwnerId", AttrType.OWNER, "Owner"));
        owner.targets.add("systemuser");
        owner.targets.add("team");
        owner.format = "None";
        owner.requiredLevel = "SystemRequired";
        owner.dictionary = true;
        owner.navigationByTarget.put("systemuser", "ownerid");
        owner.navigationByTarget.put("team", "ownerid");
        t.navigations.put("ownerid", new TableDef.Navigation("ownerid", owner, null));
        helper(t, "owneridname", "OwnerIdName", AttrType.STRING, "ownerid");
        helper(t, "owneridyominame", "OwnerIdYomiName", AttrType.STRING, "ownerid");
        helper(t, "owneridtype", "OwnerIdType", AttrType.ENTITYNAME, "ownerid");
        RelationshipDef ownerRel = RelationshipDef.oneToMany("owner_" + t.entitySetName, "owner", "ownerid", t.logicalName,
                "ownerid", "ownerid", "owner_" + t.entitySetName);
        ownerRel.cascadeDelete = "Restrict";
        relationship(ownerRel);

        ColumnDef owningUser = readOnlyLookup(t, "owninguser", "OwningUser", "Owning User", "systemuser", "owninguser",
                "user_" + t.entitySetName);
        owningUser.computed = ColumnDef.Computed.OWNING_USER;
        ColumnDef owningTeam = readOnlyLookup(t, "owningteam", "OwningTeam", "Owning Team", "team", "owningteam",
                "team_" + t.entitySetName);
        owningTeam.computed = ColumnDef.Computed.OWNING_TEAM;
        readOnlyLookup(t, "owningbusinessunit", "OwningBusinessUnit", "Owning Business Unit", "businessunit",
                "owningbusinessunit", "business_unit_" + t.entitySetName).dictionary = true;

        if (withState) {
            ColumnDef state = t.add(new ColumnDef(t.logicalName, "statecode", "StateCode", AttrType.STATE, "Status"));
            state.options.put(0, "Active");
            state.options.put(1, "Inactive");
            state.validForCreate = false;
            state.requiredLevel = "SystemRequired";
            helper(t, "statecodename", "StateCodeName", AttrType.VIRTUAL, "statecode");
            ColumnDef status = t.add(new ColumnDef(t.logicalName, "statuscode", "StatusCode", AttrType.STATUS, "Status Reason"));
            status.options.put(1, "Active");
            status.options.put(2, "Inactive");
            status.statusState.put(1, 0);
            status.statusState.put(2, 1);
            helper(t, "statuscodename", "StatusCodeName", AttrType.VIRTUAL, "statuscode");
        }

        if (currency) {
            ColumnDef c = lookup(t, "transactioncurrencyid", "TransactionCurrencyId", "Currency", "transactioncurrency",
                    "transactioncurrencyid", "TransactionCurrency_" + t.schemaName, "TransactionCurrency_" + t.schemaName,
                    "Restrict");
            c.dictionary = true;
            ColumnDef rate = t.add(new ColumnDef(t.logicalName, "exchangerate", "ExchangeRate", AttrType.DECIMAL, "Exchange Rate"));
            rate.precision = 10;
            rate.minValue = 0.0000000001;
            rate.maxValue = 100000000000.0;
            rate.validForCreate = false;
            rate.validForUpdate = false;
        }
        // Microsoft's metadata shows the date only (Format DateOnly) but stores a full UTC date and
        // time (DateTimeBehavior UserLocal): the Web API declares it Edm.DateTimeOffset
        ColumnDef overridden = dateTime(t, "overriddencreatedon", "OverriddenCreatedOn", "Record Created On", "UserLocal");
        overridden.format = "DateOnly";
        overridden.validForUpdate = false;
        ColumnDef importSequence = integer(t, "importsequencenumber", "ImportSequenceNumber", "Import Sequence Number",
                -2147483648, 2147483647);
        importSequence.validForUpdate = false;
        auditColumns(t, prefix);
    }

    private ColumnDef readOnlyLookup(TableDef t, String logicalName, String schemaName, String displayName, String target,
            String navigation, String relationship) {
        ColumnDef c = lookup(t, logicalName, schemaName, displayName, target, navigation, relationship, relationship, "Restrict");
        c.validForCreate = false;
        c.validForUpdate = false;
        return c;
    }

    /** createdon, modifiedon, createdby, modifiedby, versionnumber. */
    private void auditColumns(TableDef t, String prefix) {
        ColumnDef createdOn = dateTime(t, "createdon", "CreatedOn", "Created On", "UserLocal");
        createdOn.validForCreate = false;
        createdOn.validForUpdate = false;
        ColumnDef modifiedOn = dateTime(t, "modifiedon", "ModifiedOn", "Modified On", "UserLocal");
        modifiedOn.validForCreate = false;
        modifiedOn.validForUpdate = false;
        String base = prefix.startsWith("dvb_") ? prefix : prefix + "base";
        ColumnDef createdBy = readOnlyLookup(t, "createdby", "CreatedBy", "Created By", "systemuser", "createdby",
                "lk_" + base + "_createdby");
        createdBy.dictionary = true;
        ColumnDef modifiedBy = readOnlyLookup(t, "modifiedby", "ModifiedBy", "Modified By", "systemuser", "modifiedby",
                "lk_" + base + "_modifiedby");
        modifiedBy.dictionary = true;
        ColumnDef version = t.add(new ColumnDef(t.logicalName, "versionnumber", "VersionNumber", AttrType.BIGINT, "Version Number"));
        version.validForCreate = false;
        version.validForUpdate = false;
        version.computed = ColumnDef.Computed.NONE;
        version.storage = AttrType.Storage.NONE;
    }

    private void stateStatus(TableDef t) {
        ColumnDef state = t.add(new ColumnDef(t.logicalName, "statecode", "StateCode", AttrType.STATE, "Status"));
        state.options.put(0, "Active");
        state.options.put(1, "Inactive");
        state.validForCreate = false;
        helper(t, "statecodename", "StateCodeName", AttrType.VIRTUAL, "statecode");
        ColumnDef status = t.add(new ColumnDef(t.logicalName, "statuscode", "StatusCode", AttrType.STATUS, "Status Reason"));
        status.options.put(1, "Active");
        status.options.put(2, "Inactive");
        status.statusState.put(1, 0);
        status.statusState.put(2, 1);
        helper(t, "statuscodename", "StatusCodeName", AttrType.VIRTUAL, "statuscode");
    }

    private void intersect(TableDef t, String pk, String first, String second) {
        t.intersect = true;
        t.changeTracking = false;
        t.canChangeTrackingBeEnabled = false;
        pk(t, pk, pk, pk).validForCreate = false;
        t.add(new ColumnDef(t.logicalName, first, first, AttrType.UNIQUEIDENTIFIER, first)).validForUpdate = false;
        t.add(new ColumnDef(t.logicalName, second, second, AttrType.UNIQUEIDENTIFIER, second)).validForUpdate = false;
        ColumnDef version = t.add(new ColumnDef(t.logicalName, "versionnumber", "VersionNumber", AttrType.BIGINT, "versionnumber"));
        version.validForCreate = false;
        version.validForUpdate = false;
        version.storage = AttrType.Storage.NONE;
        for (ColumnDef c : t.columns()) {
            c.validForCreate = false;
            c.validForUpdate = false;
        }
        t.primaryName = null;
    }

    private void relationship(RelationshipDef r) {
        relationships.add(r);
        TableDef referenced = tables.get(r.referencedEntity);
        if (referenced != null) {
            referenced.oneToMany.add(r);
        }
        tables.get(r.referencingEntity).manyToOne.add(r);
    }

    private void manyToMany(RelationshipDef r) {
        relationships.add(r);
        tables.get(r.entity1).manyToMany.add(r);
        if (!r.entity1.equals(r.entity2)) {
            tables.get(r.entity2).manyToMany.add(r);
        }
    }

    private static TableDef.KeyDef key(TableDef t, String logicalName, String schemaName, String... columns) {
        return new TableDef.KeyDef(logicalName, schemaName, List.of(columns),
                java.util.UUID.nameUUIDFromBytes(("key:" + t.logicalName + "." + logicalName).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static Map<Integer, String> options(Object... valueLabels) {
        Map<Integer, String> map = new LinkedHashMap<>();
        for (int i = 0; i < valueLabels.length; i += 2) {
            map.put((Integer) valueLabels[i], (String) valueLabels[i + 1]);
        }
        return map;
    }
}
