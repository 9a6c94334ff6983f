package org.dataversebackup.dataverse;

/**
 * Dataverse refused a request, or could not be reached after the retries. Carries the HTTP status
 * and the Web API error code and message (for example {@code 0x80040220} "Principal user ... is
 * missing prvReadaccount privilege"), and the request it answered.
 */
public class DataverseException extends RuntimeException {
    private final int status;
    private final String code;
    private final String dataverseMessage;
    private final String request;

    public DataverseException(String request, int status, String code, String dataverseMessage) {
        super(describe(request, status, code, dataverseMessage));
        this.request = request;
        this.status = status;
        this.code = code == null ? "" : code;
        this.dataverseMessage = dataverseMessage == null ? "" : dataverseMessage;
    }

    public DataverseException(String request, String problem, Throwable cause) {
        super(request + ": " + problem, cause);
        this.request = request;
        this.status = 0;
        this.code = "";
        this.dataverseMessage = problem;
    }

    /** HTTP status, or 0 when no response was received. */
    public int status() {
        return status;
    }

    /** The Web API error code, e.g. {@code 0x80040237}; empty when there was none. */
    public String code() {
        return code;
    }

    /** The Web API error message. */
    public String dataverseMessage() {
        return dataverseMessage;
    }

    /** The request, as "GET https://.../accounts". */
    public String request() {
        return request;
    }

    private static String describe(String request, int status, String code, String message) {
        StringBuilder text = new StringBuilder(request).append(" answered HTTP ").append(status);
        if (code != null && !code.isBlank()) {
            text.append(" (").append(code).append(')');
        }
        if (message != null && !message.isBlank()) {
            text.append(": ").append(message);
        }
        return text.toString();
    }
}
