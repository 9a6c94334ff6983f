package org.dataversebackup.dataverse;

/**
 * The answer to one {@link WriteOperation}: its HTTP status and, for a failure, the Web API error
 * code and message. Status 0 means no answer was received (connection failures after the retries).
 */
public record WriteResult(int status, String code, String message) {

    public static WriteResult ok(int status) {
        return new WriteResult(status, "", "");
    }

    public static WriteResult failed(DataverseException e) {
        return new WriteResult(e.status(), e.code(), e.dataverseMessage().isEmpty() ? e.getMessage() : e.dataverseMessage());
    }

    public boolean succeeded() {
        return status / 100 == 2;
    }

    /**
     * The target already holds a row with this key, or the link already exists: HTTP 412 (the
     * documented answer to {@code If-None-Match: *} and to a duplicate key), error code
     * {@code 0x80040237} (-2147220937, "Cannot insert duplicate key"), or a message saying so.
     */
    public boolean duplicateKey() {
        if (succeeded()) {
            return false;
        }
        String c = code.toLowerCase();
        String m = message.toLowerCase();
        return status == 412 || c.equals("0x80040237") || c.equals("-2147220937")
                || m.contains("duplicate key") || m.contains("matching key values already exists");
    }

    /** The row addressed does not exist: HTTP 404, or code 0x80040217 ("... Does Not Exist"). */
    public boolean notFound() {
        return !succeeded() && (status == 404 || code.equalsIgnoreCase("0x80040217") || code.equals("-2147220969"));
    }
}
