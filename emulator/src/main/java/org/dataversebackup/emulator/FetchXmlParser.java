package org.dataversebackup.emulator;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Reads a FetchXML query with the JDK's DOM parser, with DOCTYPE declarations refused so that no
 * external entity can ever be resolved (XXE), and checks it against the schema the way Dataverse
 * does, with Dataverse's error codes. Every element and attribute the emulator does not implement
 * is refused with a 400 naming it, never ignored; only attributes that cannot change the result
 * (mapping, version, output-format, no-lock, latematerialize, options, intersect, visible) are
 * accepted and skipped.
 */
final class FetchXmlParser {
    private static final Set<String> FETCH_ATTRIBUTES = Set.of("top", "count", "page", "paging-cookie", "aggregate",
            "aggregatelimit", "distinct", "returntotalrecordcount", "useraworderby", "mapping", "version", "output-format",
            "no-lock", "latematerialize", "options");
    private static final Set<String> LINK_ATTRIBUTES = Set.of("name", "from", "to", "alias", "link-type", "intersect", "visible");
    private static final Set<String> ATTRIBUTE_ATTRIBUTES = Set.of("name", "alias", "aggregate", "groupby", "distinct");
    private static final Set<String> ORDER_ATTRIBUTES = Set.of("attribute", "alias", "descending", "entityname");
    private static final Set<String> CONDITION_ATTRIBUTES = Set.of("attribute", "operator", "value", "entityname");
    private static final Set<String> AGGREGATES = Set.of("count", "countcolumn", "sum", "avg", "min", "max");
    static final Set<String> OPERATORS = Set.of("eq", "ne", "neq", "gt", "ge", "lt", "le", "like", "not-like", "in", "not-in",
            "null", "not-null", "between", "not-between", "begins-with", "not-begin-with", "ends-with", "not-end-with",
            "on", "on-or-after", "on-or-before");
    /** The link types Dataverse knows (QueryBuilderDeserializeInvalidLinkType lists them); only inner and outer run here. */
    private static final Set<String> DATAVERSE_LINK_TYPES = Set.of("natural", "inner", "in", "exists",
            "matchfirstrowusingcrossapply", "outer", "any", "not any", "all", "not all");

    private final TableDef entityDef;
    /** Link-entity aliases to their tables, collected before the rest so conditions and orders may name any of them. */
    private final Map<String, TableDef> aliases = new LinkedHashMap<>();
    private final Set<String> attributeAliases = new HashSet<>();
    /** The collected aliases again, handed out to the link-entity elements in the same (document) order. */
    private Iterator<String> nextAlias;
    private boolean aggregate;

    private FetchXmlParser(TableDef entityDef) {
        this.entityDef = entityDef;
    }

    /** Parses a query sent to the entity set of {@code setDef}; the entity element must name that table. */
    static FetchXml parse(String xml, TableDef setDef) {
        Element fetch = document(xml, "FetchXML");
        if (!fetch.getTagName().equals("fetch")) {
            throw FetchXml.invalid("0x8004111c", "The element node encountered is invalid: the root element must be"
                    + " <fetch>, not <" + fetch.getTagName() + ">.");
        }
        checkAttributes(fetch, FETCH_ATTRIBUTES);
        List<Element> children = children(fetch);
        if (children.size() != 1 || !children.get(0).getTagName().equals("entity")) {
            throw FetchXml.invalid("0x80041123", "A required element was not specified: <fetch> must hold exactly one"
                    + " <entity> element.");
        }
        Element entity = children.get(0);
        String name = entity.getAttribute("name");
        TableDef def = Schema.INSTANCE.table(name);
        if (def == null) {
            throw FetchXml.invalid("0x80041102", "The entity with a name = '" + name + "' with namemapping = 'Logical'"
                    + " was not found in the MetadataCache.");
        }
        if (def != setDef) {
            throw FetchXml.invalid("0x80041128", "The entity name specified in fetchxml does not match the entity name"
                    + " specified in the Entity or Query Expression: '" + name + "' is not the table of the entity set '"
                    + setDef.entitySetName + "'.");
        }
        FetchXmlParser parser = new FetchXmlParser(def);
        parser.aggregate = bool(fetch, "aggregate", "0x8004111a");
        parser.collectAliases(entity);
        parser.nextAlias = parser.aliases.keySet().iterator();
        FetchXml.Node node = parser.node(entity, def, "", true);
        Integer top = positive(fetch, "top");
        Integer count = positive(fetch, "count");
        Integer page = positive(fetch, "page");
        if (top != null && (count != null || page != null)) {
            throw FetchXml.invalid("0x80040203", "The fetch attribute 'top' can't be used together with 'count' or 'page':"
                    + " these ways of limiting the results are not compatible.");
        }
        if (top != null && top > FetchXml.MAX_PAGE) {
            throw FetchXml.invalid("0x80040203", "The fetch attribute 'top' can't exceed " + FetchXml.MAX_PAGE + ".");
        }
        Integer aggregateLimit = positive(fetch, "aggregatelimit");
        if (aggregateLimit != null && aggregateLimit > FetchXml.AGGREGATE_LIMIT) {
            throw FetchXml.invalid("0x80040203", "The fetch attribute 'aggregatelimit' can't exceed the default limit of "
                    + FetchXml.AGGREGATE_LIMIT + ".");
        }
        String cookie = fetch.hasAttribute("paging-cookie") && !fetch.getAttribute("paging-cookie").isBlank()
                ? fetch.getAttribute("paging-cookie") : null;
        return new FetchXml(node, top, count == null ? FetchXml.MAX_PAGE : Math.min(count, FetchXml.MAX_PAGE),
                page == null ? 1 : page, cookie, parser.aggregate,
                aggregateLimit == null ? FetchXml.AGGREGATE_LIMIT : aggregateLimit,
                bool(fetch, "distinct", "0x80041115"), bool(fetch, "returntotalrecordcount", "0x8004111c"),
                bool(fetch, "useraworderby", "0x800410fd"));
    }

    /**
     * Parses XML with DOCTYPE declarations refused (so no entity, internal or external, is ever
     * expanded) and no external DTD or schema loaded; a 400 when it is not well-formed.
     */
    static Element document(String xml, String what) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (Exception e) {
            throw FetchXml.invalid("0x80040203", "The " + what + " is not valid XML (a DOCTYPE is never allowed): "
                    + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ elements

    private void collectAliases(Element parent) {
        for (Element child : children(parent)) {
            if (!child.getTagName().equals("link-entity")) {
                continue;
            }
            String name = child.getAttribute("name");
            TableDef def = Schema.INSTANCE.table(name);
            if (def == null) {
                throw FetchXml.invalid("0x80041102", "The entity with a name = '" + name + "' with namemapping = 'Logical'"
                        + " was not found in the MetadataCache.");
            }
            String alias = child.hasAttribute("alias") ? child.getAttribute("alias") : defaultAlias(name);
            if (alias.isEmpty() || aliases.containsKey(alias)) {
                throw FetchXml.invalid("0x80041130", "FetchXML should have unique aliases: '" + alias + "' is used twice.");
            }
            aliases.put(alias, def);
            if (aliases.size() > FetchXml.MAX_LINKS) {
                throw FetchXml.invalid("0x8004430D", "Number of link entities in query exceeded maximum limit.");
            }
            collectAliases(child);
        }
    }

    /**
     * A link-entity without an alias names its columns after its table ({@code contact.fullname},
     * as Dataverse documents); a second one to the same table gets a number ({@code contact1}).
     */
    private String defaultAlias(String table) {
        if (!aliases.containsKey(table)) {
            return table;
        }
        int n = 1;
        while (aliases.containsKey(table + n)) {
            n++;
        }
        return table + n;
    }

    private FetchXml.Node node(Element element, TableDef def, String alias, boolean isEntity) {
        List<FetchXml.Attribute> attributes = new ArrayList<>();
        List<FetchXml.Order> orders = new ArrayList<>();
        List<FetchXml.Link> links = new ArrayList<>();
        List<FetchXml.Filter> filters = new ArrayList<>();
        boolean all = false;
        boolean noAttributes = false;
        for (Element child : children(element)) {
            switch (child.getTagName()) {
                case "attribute" -> attributes.add(attribute(child, def, alias));
                case "all-attributes" -> {
                    checkAttributes(child, Set.of());
                    if (aggregate) {
                        throw FetchXml.invalid("0x80041107", "Attributes can not be returned when aggregate operation is"
                                + " specified: <all-attributes> is not allowed in an aggregate query.");
                    }
                    all = true;
                }
                case "no-attrs" -> {
                    checkAttributes(child, Set.of());
                    noAttributes = true;
                }
                case "order" -> orders.add(order(child, def, alias));
                case "filter" -> filters.add(filter(child, def, alias));
                case "link-entity" -> links.add(link(child, def, alias));
                default -> throw FetchXml.unsupportedNode("the element <" + child.getTagName() + "> inside <"
                        + element.getTagName() + ">");
            }
        }
        if (noAttributes && (all || !attributes.isEmpty())) {
            throw FetchXml.invalid("0x8004111c", "The element node encountered is invalid: <no-attrs> can't be combined"
                    + " with <attribute> or <all-attributes>.");
        }
        FetchXml.Filter filter = filters.isEmpty() ? null
                : filters.size() == 1 ? filters.get(0) : new FetchXml.Filter(false, List.of(), filters);
        // a query without attribute elements returns every column, as Dataverse does
        boolean allColumns = all || isEntity && attributes.isEmpty() && !noAttributes && !aggregate;
        return new FetchXml.Node(def, alias, attributes, allColumns, orders, filter, links);
    }

    private FetchXml.Link link(Element element, TableDef parentDef, String parentAlias) {
        checkAttributes(element, LINK_ATTRIBUTES);
        String alias = nextAlias.next();
        TableDef def = aliases.get(alias);
        String type = element.hasAttribute("link-type") ? element.getAttribute("link-type") : "inner";
        if (!DATAVERSE_LINK_TYPES.contains(type)) {
            throw FetchXml.invalid("0x80041117", "The only valid values for link-type attribute are 'natural', 'inner','in',"
                    + "'exists','matchfirstrowusingcrossapply' and 'outer'.");
        }
        if (!type.equals("inner") && !type.equals("outer")) {
            throw FetchXml.unsupported("0x80041117", "the link-type '" + type + "' (only 'inner' and 'outer' are implemented)");
        }
        if (!element.hasAttribute("from") || !element.hasAttribute("to")) {
            throw FetchXml.invalid("0x8004111e", "A required attribute was not specified: <link-entity name='"
                    + def.logicalName + "'> needs 'from' and 'to'.");
        }
        ColumnDef from = column(def, element.getAttribute("from"));
        ColumnDef to = column(parentDef, element.getAttribute("to"));
        if (!from.edmType().equals(to.edmType())) {
            throw FetchXml.invalid("0x80041104", "Data Types don't match for the link-entity join attributes '"
                    + from.logicalName + "', '" + to.logicalName + "'.");
        }
        FetchXml.Node node = node(element, def, alias, false);
        return new FetchXml.Link(node, parentAlias, from, to, type.equals("outer"));
    }

    private FetchXml.Attribute attribute(Element element, TableDef def, String nodeAlias) {
        checkAttributes(element, ATTRIBUTE_ATTRIBUTES);
        ColumnDef column = column(def, element.getAttribute("name"));
        String alias = element.hasAttribute("alias") ? element.getAttribute("alias") : null;
        String function = element.hasAttribute("aggregate") ? element.getAttribute("aggregate").toLowerCase(Locale.ROOT) : null;
        boolean groupBy = bool(element, "groupby", "0x8004112E");
        boolean distinct = bool(element, "distinct", "0x80041115");
        if (alias != null && !attributeAliases.add(alias)) {
            throw FetchXml.invalid("0x80041130", "FetchXML should have unique aliases: '" + alias + "' is used twice.");
        }
        if (!aggregate) {
            if (function != null || groupBy) {
                throw FetchXml.invalid("0x8004111a", "An error occurred while processing Aggregates in Query: the attribute '"
                        + column.logicalName + "' has 'aggregate' or 'groupby' but the fetch element is not aggregate='true'.");
            }
            return new FetchXml.Attribute(column, alias, null, false, false);
        }
        if (function != null && groupBy) {
            throw FetchXml.invalid("0x80041137", "An attribute can either be an aggregate or a Group By but not both");
        }
        if (function == null && !groupBy) {
            throw FetchXml.invalid("0x80041107", "Attributes can not be returned when aggregate operation is specified: '"
                    + column.logicalName + "' has neither 'aggregate' nor 'groupby'.");
        }
        if (function != null && !AGGREGATES.contains(function)) {
            throw FetchXml.invalid("0x8004111a", "An error occurred while processing Aggregates in Query: '" + function
                    + "' is not an aggregate function (count, countcolumn, sum, avg, min, max).");
        }
        if (function != null && alias == null) {
            throw FetchXml.invalid("0x80041109", "Invalid alias for aggregate operation: the attribute '" + column.logicalName
                    + "' with aggregate='" + function + "' needs an alias.");
        }
        if (function != null && !aggregatable(function, column)) {
            throw FetchXml.invalid("0x8004112F", "Aggregate " + function + " is not supported for attribute of type "
                    + column.type.code.toLowerCase(Locale.ROOT) + ".");
        }
        return new FetchXml.Attribute(column, alias, function, groupBy, distinct);
    }

    private static boolean aggregatable(String function, ColumnDef column) {
        boolean number = switch (column.type) {
            case INTEGER, BIGINT, DECIMAL, DOUBLE, MONEY -> true;
            default -> false;
        };
        return switch (function) {
            case "sum", "avg" -> number;
            case "min", "max" -> number || column.type == AttrType.DATETIME;
            default -> true;
        };
    }

    private FetchXml.Order order(Element element, TableDef def, String nodeAlias) {
        checkAttributes(element, ORDER_ATTRIBUTES);
        boolean descending = bool(element, "descending", "0x80041119");
        if (aggregate) {
            if (element.hasAttribute("attribute")) {
                throw FetchXml.invalid("0x80041131", "An attribute cannot be specified for an order clause for an aggregate"
                        + " Query. Use an alias.");
            }
            if (!element.hasAttribute("alias")) {
                throw FetchXml.invalid("0x80041134", "An alias is required for an order clause for an aggregate Query.");
            }
            return new FetchXml.Order(nodeAlias, null, element.getAttribute("alias"), descending);
        }
        if (element.hasAttribute("alias")) {
            throw FetchXml.invalid("0x80041132", "An alias cannot be specified for an order clause for a non-aggregate"
                    + " Query. Use an attribute.");
        }
        if (!element.hasAttribute("attribute")) {
            throw FetchXml.invalid("0x80041133", "An attribute is required for an order clause for a non-aggregate Query.");
        }
        String owner = nodeAlias;
        TableDef ownerDef = def;
        if (element.hasAttribute("entityname")) {
            owner = element.getAttribute("entityname");
            ownerDef = aliasDef(owner);
        }
        return new FetchXml.Order(owner, column(ownerDef, element.getAttribute("attribute")), null, descending);
    }

    private FetchXml.Filter filter(Element element, TableDef def, String nodeAlias) {
        checkAttributes(element, Set.of("type"));
        String type = element.hasAttribute("type") ? element.getAttribute("type") : "and";
        if (!type.equals("and") && !type.equals("or")) {
            throw FetchXml.invalid("0x80041122", "Unsupported filter type. Valid values are 'and', or 'or'.");
        }
        List<FetchXml.Condition> conditions = new ArrayList<>();
        List<FetchXml.Filter> filters = new ArrayList<>();
        for (Element child : children(element)) {
            switch (child.getTagName()) {
                case "condition" -> conditions.add(condition(child, def, nodeAlias));
                case "filter" -> filters.add(filter(child, def, nodeAlias));
                default -> throw FetchXml.unsupportedNode("the element <" + child.getTagName() + "> inside <filter>");
            }
        }
        return new FetchXml.Filter(type.equals("or"), conditions, filters);
    }

    private FetchXml.Condition condition(Element element, TableDef def, String nodeAlias) {
        checkAttributes(element, CONDITION_ATTRIBUTES);
        String operator = element.getAttribute("operator");
        if (operator.isEmpty()) {
            throw FetchXml.invalid("0x8004111e", "A required attribute was not specified: <condition> needs 'operator'.");
        }
        if (!OPERATORS.contains(operator)) {
            throw FetchXml.unsupported("0x80041120", "the condition operator '" + operator + "' (implemented: "
                    + String.join(", ", new java.util.TreeSet<>(OPERATORS)) + ")");
        }
        String owner = nodeAlias;
        TableDef ownerDef = def;
        if (element.hasAttribute("entityname")) {
            owner = element.getAttribute("entityname");
            ownerDef = aliasDef(owner);
        }
        ColumnDef column = column(ownerDef, element.getAttribute("attribute"));
        List<String> texts = new ArrayList<>();
        for (Element value : children(element)) {
            if (!value.getTagName().equals("value")) {
                throw FetchXml.unsupportedNode("the element <" + value.getTagName() + "> inside <condition>");
            }
            checkAttributes(value, Set.of());
            texts.add(value.getTextContent());
        }
        if (element.hasAttribute("value")) {
            if (!texts.isEmpty()) {
                throw FetchXml.invalid("0x80041106", "Incorrect filter condition or conditions: the condition on '"
                        + column.logicalName + "' has both a value attribute and value elements.");
            }
            texts.add(element.getAttribute("value"));
        }
        int expected = switch (operator) {
            case "null", "not-null" -> 0;
            case "between", "not-between" -> 2;
            case "in", "not-in" -> -1;
            default -> 1;
        };
        if (expected >= 0 && texts.size() != expected || expected < 0 && texts.isEmpty()) {
            throw FetchXml.invalid("0x80041106", "Incorrect filter condition or conditions: the operator '" + operator
                    + "' on '" + column.logicalName + "' expects " + (expected < 0 ? "one or more" : Integer.toString(expected))
                    + " value(s), found " + texts.size() + ".");
        }
        List<Object> values = new ArrayList<>();
        boolean textual = operator.contains("like") || operator.contains("begin") || operator.contains("end");
        boolean dateOnly = operator.startsWith("on");
        if (dateOnly && column.type != AttrType.DATETIME) {
            throw FetchXml.invalid("0x80041120", "Unsupported condition operator: '" + operator + "' applies to date and time"
                    + " columns, not to '" + column.logicalName + "'.");
        }
        for (String text : texts) {
            values.add(textual ? text : dateOnly ? date(text, column) : typed(text, column));
        }
        return new FetchXml.Condition(owner, column, operator.equals("neq") ? "ne" : operator, values);
    }

    // ------------------------------------------------------------------ names and values

    private TableDef aliasDef(String alias) {
        TableDef def = aliases.get(alias);
        if (def == null) {
            throw FetchXml.invalid("0x8004110a", "The specified alias for the given entity in the condition does not exist: '"
                    + alias + "'.");
        }
        return def;
    }

    /** A column by logical name; 0x80041103 as Dataverse words it when the table has none. */
    static ColumnDef column(TableDef def, String name) {
        ColumnDef c = def.column(name);
        if (c == null) {
            throw FetchXml.invalid("0x80041103", "'" + def.logicalName + "' entity doesn't contain attribute with Name = '"
                    + name + "' and NameMapping = 'Logical'.");
        }
        if (c.property == null) {
            throw FetchXml.unsupportedNode("the column '" + name + "' of '" + def.logicalName + "' (a helper column of '"
                    + c.attributeOf + "'; use that column)");
        }
        return c;
    }

    /** A condition value converted to the column's type, as Dataverse converts it before running the query. */
    static Object typed(String text, ColumnDef c) {
        String t = text.trim();
        try {
            return switch (c.type) {
                case STRING, MEMO, ENTITYNAME, VIRTUAL, IMAGE -> text;
                case INTEGER, PICKLIST, STATE, STATUS -> Integer.parseInt(t);
                case BIGINT -> Long.parseLong(t);
                case DECIMAL, MONEY -> new BigDecimal(t);
                case DOUBLE -> Double.parseDouble(t);
                case BOOLEAN -> switch (t.toLowerCase(Locale.ROOT)) {
                    case "1", "true" -> true;
                    case "0", "false" -> false;
                    default -> throw new IllegalArgumentException(t);
                };
                case UNIQUEIDENTIFIER, LOOKUP, CUSTOMER, OWNER, FILE -> Guids.parse(t);
                case DATETIME -> c.isDateOnly() ? date(t, c) : dateTime(t);
            };
        } catch (RuntimeException e) {
            throw FetchXml.invalid("0x80040203", "An exception System.FormatException was thrown while trying to convert input"
                    + " value '" + text + "' to attribute '" + c.table + "." + c.logicalName + "'. Expected type of attribute"
                    + " value: " + c.edmType() + ".");
        }
    }

    private static Instant dateTime(String t) {
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
        }
    }

    /** The day of a date or date-time value (the emulator's users are all in UTC). */
    private static LocalDate date(String text, ColumnDef c) {
        String t = text.trim();
        try {
            return t.length() > 10 ? dateTime(t).atZone(ZoneOffset.UTC).toLocalDate() : LocalDate.parse(t);
        } catch (RuntimeException e) {
            throw FetchXml.invalid("0x80040203", "An exception System.FormatException was thrown while trying to convert input"
                    + " value '" + text + "' to attribute '" + c.table + "." + c.logicalName + "'. Expected type of attribute"
                    + " value: System.DateTime.");
        }
    }

    private static void checkAttributes(Element element, Set<String> allowed) {
        var attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            String name = attributes.item(i).getNodeName();
            if (!allowed.contains(name)) {
                throw FetchXml.unsupportedNode("the attribute '" + name + "' of <" + element.getTagName() + ">");
            }
        }
    }

    private static boolean bool(Element element, String name, String code) {
        if (!element.hasAttribute(name)) {
            return false;
        }
        return switch (element.getAttribute(name).trim().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw FetchXml.invalid(code, "The only valid values for " + name + " attribute are 'true', 'false',"
                    + " '1', and '0'.");
        };
    }

    private static Integer positive(Element element, String name) {
        if (!element.hasAttribute(name)) {
            return null;
        }
        try {
            int n = Integer.parseInt(element.getAttribute(name).trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw FetchXml.invalid("0x8004110c", "A value greater than zero must be specified for the fetch attribute '" + name
                + "', not '" + element.getAttribute(name) + "'.");
    }

    static List<Element> children(Element parent) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                result.add((Element) n);
            } else if (n.getNodeType() == Node.TEXT_NODE && !n.getTextContent().isBlank()
                    && !parent.getTagName().equals("value")) {
                throw FetchXml.unsupportedNode("text inside <" + parent.getTagName() + ">");
            }
        }
        return result;
    }
}
