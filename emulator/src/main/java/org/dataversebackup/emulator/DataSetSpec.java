package org.dataversebackup.emulator;

import java.time.Instant;

/**
 * What the data generator makes: accounts (a share with a parent account and a primary contact),
 * contacts per account (parent customer: their account, some another contact), dvb_project rows
 * (account lookup, parent project, N:N links to contacts), extra users and owner teams owning the
 * rows. The same spec always gives the same rows (ids, values, timestamps, versions).
 */
public final class DataSetSpec {
    private final long seed;
    private final int accounts;
    private final int contactsPerAccount;
    private final int projects;
    private final int users;
    private final int teams;
    private final int contactsPerProject;
    private final Instant baseTime;

    private DataSetSpec(Builder b) {
        this.seed = b.seed;
        this.accounts = b.accounts;
        this.contactsPerAccount = b.contactsPerAccount;
        this.projects = b.projects;
        this.users = b.users;
        this.teams = b.teams;
        this.contactsPerProject = b.contactsPerProject;
        this.baseTime = b.baseTime;
    }

    /** {@code accounts} accounts with {@code contactsPerAccount} contacts each, and {@code projects} projects. */
    public static DataSetSpec sized(int accounts, int contactsPerAccount, int projects) {
        return builder().accounts(accounts).contactsPerAccount(contactsPerAccount).projects(projects).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public long seed() {
        return seed;
    }

    public int accounts() {
        return accounts;
    }

    public int contactsPerAccount() {
        return contactsPerAccount;
    }

    public int projects() {
        return projects;
    }

    public int users() {
        return users;
    }

    public int teams() {
        return teams;
    }

    public int contactsPerProject() {
        return contactsPerProject;
    }

    public Instant baseTime() {
        return baseTime;
    }

    @Override
    public String toString() {
        return "DataSetSpec[seed=" + seed + ", accounts=" + accounts + ", contactsPerAccount=" + contactsPerAccount
                + ", projects=" + projects + ", users=" + users + ", teams=" + teams + ", contactsPerProject="
                + contactsPerProject + "]";
    }

    public static final class Builder {
        private long seed = 20240101L;
        private int accounts = 10;
        private int contactsPerAccount = 2;
        private int projects = 5;
        private int users = 5;
        private int teams = 2;
        private int contactsPerProject = 2;
        private Instant baseTime = Instant.parse("2023-01-02T08:00:00Z");

        private Builder() {
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder accounts(int accounts) {
            this.accounts = accounts;
            return this;
        }

        public Builder contactsPerAccount(int contactsPerAccount) {
            this.contactsPerAccount = contactsPerAccount;
            return this;
        }

        public Builder projects(int projects) {
            this.projects = projects;
            return this;
        }

        /** Extra (generated) Read-Write users owning rows, besides the well-known ones. */
        public Builder users(int users) {
            this.users = users;
            return this;
        }

        /** Generated owner teams owning rows. */
        public Builder teams(int teams) {
            this.teams = teams;
            return this;
        }

        /** N:N links from each project to contacts (dvb_project_contact). */
        public Builder contactsPerProject(int contactsPerProject) {
            this.contactsPerProject = contactsPerProject;
            return this;
        }

        /** createdon of the first generated row; later rows are a little later. */
        public Builder baseTime(Instant baseTime) {
            this.baseTime = baseTime;
            return this;
        }

        public DataSetSpec build() {
            if (accounts < 0 || contactsPerAccount < 0 || projects < 0 || users < 0 || teams < 0 || contactsPerProject < 0) {
                throw new IllegalArgumentException("Sizes must not be negative");
            }
            return new DataSetSpec(this);
        }
    }
}
