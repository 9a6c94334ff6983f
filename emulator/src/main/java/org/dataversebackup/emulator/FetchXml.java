package org.dataversebackup.emulator;

import java.util.List;

/**
 * A FetchXML query as {@link FetchXmlParser} reads it, already checked against the schema: every
 * table and column named exists, every value has its column's type. The executor only runs it.
 */
record FetchXml(Node entity, Integer top, int count, int page, String pagingCookie, boolean aggregate, int aggregateLimit,
        boolean distinct, boolean returnTotalRecordCount, boolean useRawOrderBy) {

    /** The most rows one page (and {@code top}) may hold, as Dataverse limits them. */
    static final int MAX_PAGE = 5000;
    /** Aggregate queries may look at this many rows at most (AggregateQueryRecordLimit). */
    static final int AGGREGATE_LIMIT = 50_000;
    /** Dataverse allows up to 15 link-entity elements in a query. */
    static final int MAX_LINKS = 15;

    /**
     * The entity element or a link-entity element. The entity's alias is the empty string; a
     * link-entity's alias names its columns in the results ({@code alias.column}).
     */
    record Node(TableDef def, String alias, List<Attribute> attributes, boolean allAttributes, List<Order> orders,
            Filter filter, List<Link> links) {
        boolean isEntity() {
            return alias.isEmpty();
        }
    }

    /** A link-entity: rows of {@code node} whose {@code from} column equals the parent's {@code to} column. */
    record Link(Node node, String parentAlias, ColumnDef from, ColumnDef to, boolean outer) {
        /** Whether each parent row meets at most one linked row (the join goes to the linked table's key). */
        boolean toPrimaryKey() {
            return from.primaryId;
        }
    }

    /**
     * An attribute element: a column to return, possibly under an alias; in aggregate queries an
     * aggregate function (count, countcolumn, sum, avg, min, max) or a group-by column.
     */
    record Attribute(ColumnDef column, String alias, String aggregate, boolean groupBy, boolean distinct) {
    }

    /** An order element: a column of a node ({@code nodeAlias}), or in aggregate queries an attribute alias. */
    record Order(String nodeAlias, ColumnDef column, String alias, boolean descending) {
    }

    /** A filter element: its conditions and nested filters joined by and/or. */
    record Filter(boolean or, List<Condition> conditions, List<Filter> filters) {
    }

    /**
     * A condition on a column of the node the filter belongs to, or of another node named by the
     * condition's {@code entityname} ({@code nodeAlias}). Values are already of the column's type.
     */
    record Condition(String nodeAlias, ColumnDef column, String operator, List<Object> values) {
    }

    // ------------------------------------------------------------------ errors

    /** 400 for a FetchXML feature Dataverse has but the emulator does not implement; names the feature. */
    static ApiError unsupported(String code, String what) {
        return new ApiError(400, code, "The emulator does not support " + what + " in FetchXML.");
    }

    /** 0x8004111c QueryBuilderDeserializeInvalidNode, for elements and attributes. */
    static ApiError unsupportedNode(String what) {
        return unsupported("0x8004111c", what);
    }

    static ApiError invalid(String code, String message) {
        return new ApiError(400, code, message);
    }
}
