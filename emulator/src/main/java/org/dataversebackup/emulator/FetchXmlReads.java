package org.dataversebackup.emulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * {@code GET <entity set>?fetchXml=<url-encoded FetchXML>}, answered as the Web API documents it:
 * rows without their null properties, link-entity columns named {@code alias.column}, aggregate
 * results by alias, and, when {@code Prefer: odata.include-annotations} asks, the
 * {@code @Microsoft.Dynamics.CRM.fetchxmlpagingcookie} (the inner cookie URL-encoded twice) and
 * {@code @Microsoft.Dynamics.CRM.morerecords} annotations. The {@code savedQuery} and
 * {@code userQuery} parameters are refused: the emulator has no views.
 */
final class FetchXmlReads {
    private final EmulatorContext ctx;
    private final BiFunction<String, UUID, String> names;

    FetchXmlReads(EmulatorContext ctx, BiFunction<String, UUID, String> names) {
        this.ctx = ctx;
        this.names = names;
    }

    /** The value of a query parameter whose name matches without regard to case, or null. */
    static String parameter(ApiRequest request, String name) {
        for (Map.Entry<String, String> e : request.query().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Whether the request names a query (fetchXml, savedQuery or userQuery) instead of OData options. */
    static boolean requested(ApiRequest request) {
        return parameter(request, "fetchXml") != null || parameter(request, "savedQuery") != null
                || parameter(request, "userQuery") != null;
    }

    /** 400 for fetchXml, savedQuery or userQuery where the Web API takes none: on a row, a property, $count. */
    static void refuseOutsideEntitySet(ApiRequest request) {
        if (requested(request)) {
            throw new ApiError(400, "0x80060888", "The fetchXml, savedQuery and userQuery parameters apply to an entity set"
                    + " only (GET <entity set>?fetchXml=...), not to '" + request.path + "'.");
        }
    }

    ApiResponse collection(ApiRequest request, Principal principal, TableDef def) {
        refuseViews(request);
        for (String option : request.query().keySet()) {
            if (option.startsWith("$") && !option.equalsIgnoreCase("$count")) {
                throw new ApiError(400, "0x80060888", "The query option '" + option + "' can't be used with fetchXml:"
                        + " express it in the FetchXML query.");
            }
        }
        Map<String, String> prefs = request.preferences();
        if (prefs.containsKey("odata.track-changes")) {
            throw new ApiError(400, "0x80060888", "Change tracking (Prefer: odata.track-changes) can't be used with fetchXml.");
        }
        String countOption = parameter(request, "$count");
        boolean count = countOption != null && countOption.equalsIgnoreCase("true");
        FetchXml query = FetchXmlParser.parse(parameter(request, "fetchXml"), def);
        FetchXmlExecutor.Page page = new FetchXmlExecutor(ctx.state.store(), principal, names).run(query, count);
        WebApi.sleep(ctx.faults.pageLatency());
        Annotations annotations = Annotations.parse(prefs.get("odata.include-annotations"));
        String context = context(request, def, query);
        ApiResponse response = ApiResponse.json(200, g -> {
            g.writeStartObject();
            g.writeStringField("@odata.context", context);
            if (count) {
                g.writeNumberField("@odata.count", Math.min(page.total(), FetchXml.MAX_PAGE));
            }
            if (annotations.includes(Annotations.TOTAL_RECORD_COUNT)) {
                g.writeNumberField("@" + Annotations.TOTAL_RECORD_COUNT, page.total() < 0 ? -1 : Math.min(page.total(), FetchXml.MAX_PAGE));
            }
            if (annotations.includes(Annotations.TOTAL_RECORD_COUNT_LIMIT_EXCEEDED)) {
                g.writeBooleanField("@" + Annotations.TOTAL_RECORD_COUNT_LIMIT_EXCEEDED, page.total() > FetchXml.MAX_PAGE);
            }
            if (annotations.includes(Annotations.GLOBAL_METADATA_VERSION)) {
                g.writeStringField("@" + Annotations.GLOBAL_METADATA_VERSION, "1000001");
            }
            // on the last page Dataverse leaves both annotations out
            if (page.more() && page.pagingCookie() != null && annotations.includes(Annotations.FETCHXML_PAGING_COOKIE)) {
                g.writeStringField("@" + Annotations.FETCHXML_PAGING_COOKIE, pagingCookieAnnotation(query, page.pagingCookie()));
            }
            if (page.more() && annotations.includes(Annotations.MORE_RECORDS)) {
                g.writeBooleanField("@" + Annotations.MORE_RECORDS, true);
            }
            g.writeArrayFieldStart("value");
            if (query.aggregate()) {
                writeGroups(g, query, page.groups());
            } else {
                writeRows(g, query, page.rows(), annotations);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        if (annotations.any()) {
            response.header("Preference-Applied", "odata.include-annotations=\"" + annotations.raw + "\"");
        }
        return response;
    }

    private static void refuseViews(ApiRequest request) {
        for (String view : new String[] {"savedQuery", "userQuery"}) {
            if (parameter(request, view) != null) {
                throw new ApiError(400, "0x80060888", "The emulator does not support the " + view + " parameter: it has no "
                        + view.toLowerCase(Locale.ROOT) + " rows (views). Send the view's FetchXML with the fetchXml parameter.");
            }
        }
    }

    /** {@code <cookie pagenumber="N+1" pagingcookie="<inner cookie URL-encoded twice>" istracking="False" />} */
    private static String pagingCookieAnnotation(FetchXml query, String inner) {
        String encoded = PagingCookie.encodeInner(PagingCookie.encodeInner(inner));
        return "<cookie pagenumber=\"" + (query.page() + 1) + "\" pagingcookie=\"" + encoded + "\" istracking=\"False\" />";
    }

    /** {@code $metadata#accounts(name,accountnumber)}: the entity's returned properties, none listed for all of them. */
    private String context(ApiRequest request, TableDef def, FetchXml query) {
        String root = ctx.serviceRoot(request.version) + "$metadata#" + def.entitySetName;
        if (query.entity().allAttributes() || query.aggregate()) {
            return root;
        }
        List<String> properties = new ArrayList<>();
        for (FetchXml.Attribute a : query.entity().attributes()) {
            properties.add(a.column().property);
        }
        return root + "(" + String.join(",", properties) + ")";
    }

    /**
     * Each row: its etag, the returned columns that are not null, the currency of money columns
     * and the primary key (both as the Web API adds them; not for distinct rows, which stand for
     * no single row), then the link-entities' columns.
     */
    private void writeRows(JsonGenerator g, FetchXml query, List<FetchXmlExecutor.Joined> rows, Annotations annotations)
            throws java.io.IOException {
        List<FetchXmlExecutor.Output> outputs = FetchXmlExecutor.outputs(query);
        Map<String, RowJson> writers = new HashMap<>();
        writers.put("", new RowJson(query.entity().def(), List.of(), annotations, names));
        for (FetchXml.Link link : FetchXmlExecutor.links(query.entity())) {
            writers.put(link.node().alias(), new RowJson(link.node().def(), List.of(), annotations, names));
        }
        TableDef def = query.entity().def();
        ColumnDef currency = def.column("transactioncurrencyid");
        boolean money = outputs.stream().anyMatch(o -> o.nodeAlias().isEmpty() && o.column().type == AttrType.MONEY);
        boolean currencyReturned = outputs.stream().anyMatch(o -> o.nodeAlias().isEmpty() && o.column() == currency);
        boolean keyReturned = outputs.stream().anyMatch(o -> o.nodeAlias().isEmpty() && o.column().primaryId);
        for (FetchXmlExecutor.Joined row : rows) {
            FetchXmlExecutor.Source main = row.main();
            g.writeStartObject();
            if (!query.distinct()) {
                g.writeStringField("@odata.etag", "W/\"" + main.version() + "\"");
            }
            for (FetchXmlExecutor.Output o : outputs) {
                if (o.nodeAlias().isEmpty()) {
                    writers.get("").writeNamed(g, o.column(), o.name(), main.id(), main.values(), main.version(), true);
                }
            }
            if (!query.distinct() && money && currency != null && !currencyReturned) {
                writers.get("").writeNamed(g, currency, currency.property, main.id(), main.values(), main.version(), true);
            }
            if (!query.distinct() && !keyReturned) {
                g.writeStringField(def.primaryId, main.id().toString());
            }
            for (FetchXmlExecutor.Output o : outputs) {
                FetchXmlExecutor.Source linked = o.nodeAlias().isEmpty() ? null : row.sources().get(o.nodeAlias());
                if (linked != null) {
                    writers.get(o.nodeAlias()).writeNamed(g, o.column(), o.name(), linked.id(), linked.values(),
                            linked.version(), true);
                }
            }
            g.writeEndObject();
        }
    }

    /** Each group: its values by alias, nulls left out; lookups as their id. */
    private static void writeGroups(JsonGenerator g, FetchXml query, List<Map<String, Object>> groups) throws java.io.IOException {
        for (Map<String, Object> group : groups) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : group.entrySet()) {
                if (e.getValue() != null) {
                    g.writeFieldName(e.getKey());
                    RowJson.writeValue(g, null, e.getValue());
                }
            }
            g.writeEndObject();
        }
    }
}
