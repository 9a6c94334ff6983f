package org.dataversebackup.dataverse;

import java.util.Map;

/**
 * One write request to the Web API, sent alone or as a part of a {@code $batch}.
 *
 * @param method  POST, PATCH, PUT or DELETE
 * @param path    relative to the API root, e.g. {@code accounts(<id>)} or {@code accounts(<id>)/x/$ref}
 * @param headers request headers of this operation, e.g. {@code If-Match: *}
 * @param body    JSON body, or null
 */
public record WriteOperation(String method, String path, Map<String, String> headers, byte[] body) {

    public WriteOperation {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
