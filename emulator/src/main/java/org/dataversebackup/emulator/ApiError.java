package org.dataversebackup.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Web API error: HTTP status and the {@code {"error":{"code","message"}}} body. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;
    final Map<String, String> headers = new LinkedHashMap<>();

    ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    ApiError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "0x80060888", message);
    }

    /** 404 0x8006088a "Resource not found for the segment 'x'." */
    static ApiError segmentNotFound(String segment) {
        return new ApiError(404, "0x8006088a", "Resource not found for the segment '" + segment + "'.");
    }

    /** 404 for a wrong method on a known resource, as Dataverse answers POST WhoAmI. */
    static ApiError noResource(String url) {
        return new ApiError(404, "", "No HTTP resource was found that matches the request URI '" + url + "'.");
    }

    /** 400 0x0 "Could not find a property named 'x' on type 'Microsoft.Dynamics.CRM.y'." */
    static ApiError propertyNotFound(String property, String table) {
        return new ApiError(400, "0x0", "Could not find a property named '" + property
                + "' on type 'Microsoft.Dynamics.CRM." + table + "'.");
    }

    /** 404 0x80040217 "account With Id = … Does Not Exist". */
    static ApiError doesNotExist(String table, Object id) {
        return new ApiError(404, "0x80040217", table + " With Id = " + id + " Does Not Exist");
    }
}
