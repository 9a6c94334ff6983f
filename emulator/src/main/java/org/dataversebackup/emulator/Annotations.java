package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.List;

/** Which annotations {@code Prefer: odata.include-annotations} asks for ("*", names, "Prefix.*" patterns). */
final class Annotations {
    static final String FORMATTED_VALUE = "OData.Community.Display.V1.FormattedValue";
    static final String LOOKUP_LOGICAL_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname";
    static final String ASSOCIATED_NAVIGATION_PROPERTY = "Microsoft.Dynamics.CRM.associatednavigationproperty";
    static final String TOTAL_RECORD_COUNT = "Microsoft.Dynamics.CRM.totalrecordcount";
    static final String TOTAL_RECORD_COUNT_LIMIT_EXCEEDED = "Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded";
    static final String GLOBAL_METADATA_VERSION = "Microsoft.Dynamics.CRM.globalmetadataversion";
    static final String FETCHXML_PAGING_COOKIE = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie";
    static final String MORE_RECORDS = "Microsoft.Dynamics.CRM.morerecords";

    static final Annotations NONE = new Annotations(null, List.of());

    final String raw;
    private final List<String> patterns;

    private Annotations(String raw, List<String> patterns) {
        this.raw = raw;
        this.patterns = patterns;
    }

    static Annotations parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<String> patterns = new ArrayList<>();
        for (String p : value.split(",")) {
            String t = p.trim();
            if (t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2) {
                t = t.substring(1, t.length() - 1);
            }
            if (!t.isEmpty()) {
                patterns.add(t);
            }
        }
        return new Annotations(value, patterns);
    }

    boolean any() {
        return !patterns.isEmpty();
    }

    boolean includes(String annotation) {
        for (String p : patterns) {
            if (p.startsWith("-")) {
                continue;
            }
            if (p.equals("*") || p.equalsIgnoreCase(annotation)) {
                return true;
            }
            if (p.endsWith("*") && annotation.regionMatches(true, 0, p, 0, p.length() - 1)) {
                return true;
            }
        }
        return false;
    }

    boolean formattedValues() {
        return includes(FORMATTED_VALUE);
    }

    boolean lookupLogicalName() {
        return includes(LOOKUP_LOGICAL_NAME);
    }

    boolean associatedNavigationProperty() {
        return includes(ASSOCIATED_NAVIGATION_PROPERTY);
    }
}
