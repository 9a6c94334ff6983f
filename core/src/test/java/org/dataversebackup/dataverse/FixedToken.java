package org.dataversebackup.dataverse;

/** Access tokens for tests against scripted servers that do not check them: always the same one. */
final class FixedToken implements AccessTokens {
    static final FixedToken INSTANCE = new FixedToken();

    private FixedToken() {
    }

    @Override
    public String current() {
        return "token";
    }

    @Override
    public String renewAfterRejection(String rejected) {
        return "token";
    }
}
