package org.dataversebackup.camel;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.dataversebackup.backup.BackupHeaders;
import org.dataversebackup.restore.RestoreHeaders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds the completion event of a scheduled backup or an inbox restore from (a copy of) the
 * exchange that ran it: what ran, where, for which trigger, the outcome, and the job's own
 * summary (backup) or report (restore), or the error and the report the failure left. The README's "Completion events" describes
 * the format; keep them in step.
 */
public class CompletionEvents {
    /** Set by the triggers: the environment the job ran for. */
    public static final String ENVIRONMENT_HEADER = BackupHeaders.ENVIRONMENT;
    /** Set by the schedule: {@code schedule}. */
    public static final String BACKUP_TRIGGER_HEADER = "DataverseBackupTrigger";
    /** Set by the inbox: {@code inbox}. */
    public static final String RESTORE_TRIGGER_HEADER = "DataverseRestoreTrigger";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Replaces the body with the event (JSON). */
    public String describe(Exchange exchange) throws JsonProcessingException {
        boolean backup = exchange.getMessage().getHeader(BACKUP_TRIGGER_HEADER) != null;
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", backup ? "backup" : "restore");
        event.put("environment", exchange.getMessage().getHeader(ENVIRONMENT_HEADER, String.class));
        event.put("trigger", exchange.getMessage().getHeader(backup ? BACKUP_TRIGGER_HEADER : RESTORE_TRIGGER_HEADER, String.class));
        event.put("outcome", failure == null ? "success" : "failed");
        event.put("time", Instant.now().toString());
        if (backup) {
            event.put("snapshotId", exchange.getMessage().getHeader(BackupHeaders.SNAPSHOT_ID, String.class));
            event.put("location", exchange.getMessage().getHeader(BackupHeaders.LOCATION, String.class));
        } else {
            event.put("restoreId", exchange.getMessage().getHeader(RestoreHeaders.RESTORE_ID, String.class));
            event.put("request", exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class));
        }
        if (failure != null) {
            event.put("error", failure.getMessage());
        }
        // what the job answered: its summary (backup) or report (restore); after a failure, whatever
        // report it left (a restore's, or the preflight check's)
        JsonNode answer = answer(exchange.getMessage().getBody(String.class));
        if (answer != null) {
            event.put(failure != null ? "details" : backup ? "summary" : "report", answer);
        }
        return JSON.writeValueAsString(event);
    }

    /** The job's JSON answer, when the body holds one (a failure may leave anything there). */
    private static JsonNode answer(String body) {
        if (body == null || !body.trim().startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
