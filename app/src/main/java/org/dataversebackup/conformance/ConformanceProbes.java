package org.dataversebackup.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.dataverse.DataverseResponse;
import org.dataversebackup.dataverse.Urls;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Read-only probes of the Web API behaviour Microsoft documents and this project relies on, for
 * running against a real environment and against the emulator side by side: a difference shows at
 * once which one departs from the documentation. Each probe asks one documented question and says
 * what it got when the answer is not the documented one. Nothing is written.
 */
public final class ConformanceProbes {

    /** PASS, FAIL (with what differs) or SKIP (with why). */
    public enum Outcome { PASS, FAIL, SKIP }

    public record Result(String probe, Outcome outcome, String detail) {
    }

    /** One documented behaviour: empty when the environment behaves as documented, else what differs. */
    private record Probe(String name, Function<DataverseClient, Optional<String>> check) {
    }

    /** Thrown by a probe that cannot run here (e.g. the table is not change-tracked). */
    private static final class Skipped extends RuntimeException {
        Skipped(String why) {
            super(why);
        }
    }

    private static final List<Probe> PROBES = List.of(
            new Probe("WhoAmI returns UserId, BusinessUnitId and OrganizationId", ConformanceProbes::whoAmI),
            new Probe("$metadata is a CSDL document declaring the account entity type", ConformanceProbes::metadata),
            new Probe("EntityDefinitions by LogicalName give the entity set and primary key", ConformanceProbes::definition),
            new Probe("odata.maxpagesize pages with @odata.nextLink and says Preference-Applied", ConformanceProbes::paging),
            new Probe("An unknown entity set is a 404 with the Web API's error object", ConformanceProbes::unknownSet),
            new Probe("An invalid $filter is a 400 with the Web API's error object", ConformanceProbes::invalidFilter),
            new Probe("$filter with Microsoft.Dynamics.CRM.In on the primary key", ConformanceProbes::inFunction),
            new Probe("$count of a collection is a plain number", ConformanceProbes::count),
            new Probe("RetrieveTotalRecordCount answers EntityRecordCountCollection", ConformanceProbes::totalRecordCount),
            new Probe("Prefer odata.include-annotations gives formatted values", ConformanceProbes::formattedValues),
            new Probe("odata.track-changes ends with @odata.deltaLink and the delta answers $delta", ConformanceProbes::changeTracking),
            new Probe("fetchXml with top returns at most that many rows", ConformanceProbes::fetchXml));

    private ConformanceProbes() {
    }

    /** Runs every probe; a probe that throws is a failure with the exception's message. */
    public static List<Result> run(DataverseClient client) {
        List<Result> results = new ArrayList<>();
        for (Probe probe : PROBES) {
            try {
                Optional<String> problem = probe.check().apply(client);
                results.add(new Result(probe.name(), problem.isEmpty() ? Outcome.PASS : Outcome.FAIL, problem.orElse("")));
            } catch (Skipped skipped) {
                results.add(new Result(probe.name(), Outcome.SKIP, skipped.getMessage()));
            } catch (RuntimeException e) {
                results.add(new Result(probe.name(), Outcome.FAIL, e.getMessage()));
            }
        }
        return results;
    }

    private static Optional<String> whoAmI(DataverseClient client) {
        JsonNode who = client.getJson("WhoAmI");
        for (String field : List.of("UserId", "BusinessUnitId", "OrganizationId")) {
            if (!isGuid(who.path(field).asText(""))) {
                return Optional.of(field + " is '" + who.path(field).asText("") + "', not a GUID");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> metadata(DataverseClient client) {
        DataverseResponse response = client.get("$metadata", Map.of("Accept", "application/xml"));
        String type = response.header("Content-Type").orElse("");
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (!type.contains("xml")) {
            return Optional.of("Content-Type is '" + type + "', not XML");
        }
        return body.contains("<edmx:Edmx") && body.contains("Name=\"account\"") ? Optional.empty()
                : Optional.of("no edmx:Edmx document with EntityType account");
    }

    private static Optional<String> definition(DataverseClient client) {
        JsonNode account = client.getJson("EntityDefinitions(LogicalName='account')?$select=LogicalName,EntitySetName,"
                + "PrimaryIdAttribute,ChangeTrackingEnabled");
        return "accounts".equals(account.path("EntitySetName").asText()) && "accountid".equals(account.path("PrimaryIdAttribute")
                .asText()) ? Optional.empty() : Optional.of("got EntitySetName '" + account.path("EntitySetName").asText()
                        + "', PrimaryIdAttribute '" + account.path("PrimaryIdAttribute").asText() + "'");
    }

    private static Optional<String> paging(DataverseClient client) {
        DataverseResponse first = client.get("accounts?$select=accountid", Map.of("Prefer", "odata.maxpagesize=2"));
        JsonNode page = first.json();
        if (page.path("value").size() > 2) {
            return Optional.of(page.path("value").size() + " rows in a page of at most 2");
        }
        if (!first.header("Preference-Applied").orElse("").contains("odata.maxpagesize=2")) {
            return Optional.of("no Preference-Applied: odata.maxpagesize=2 (got '" + first.header("Preference-Applied").orElse("")
                    + "')");
        }
        if (page.path("value").size() < 2) {
            throw new Skipped("fewer than 3 accounts: nothing to page");
        }
        String next = page.path("@odata.nextLink").asText("");
        if (next.isEmpty()) {
            throw new Skipped("no second page (2 accounts or fewer)");
        }
        JsonNode second = client.get(next, Map.of("Prefer", "odata.maxpagesize=2")).json();
        String firstId = page.path("value").get(0).path("accountid").asText();
        for (JsonNode row : second.path("value")) {
            if (row.path("accountid").asText().equals(firstId)) {
                return Optional.of("the next page repeats " + firstId);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unknownSet(DataverseClient client) {
        return refusal(client, "nosuchentitysets", 404);
    }

    private static Optional<String> invalidFilter(DataverseClient client) {
        return refusal(client, "accounts?$filter=" + Urls.encode("name eq"), 400);
    }

    private static Optional<String> refusal(DataverseClient client, String path, int status) {
        try {
            client.get(path, Map.of());
            return Optional.of("answered 2xx, not " + status);
        } catch (DataverseException e) {
            if (e.status() != status) {
                return Optional.of("answered " + e.status() + ", not " + status + ": " + e.dataverseMessage());
            }
            return e.code().isBlank() || e.dataverseMessage().isBlank()
                    ? Optional.of("no {\"error\": {\"code\", \"message\"}} in the answer") : Optional.empty();
        }
    }

    private static Optional<String> inFunction(DataverseClient client) {
        JsonNode some = client.get("accounts?$select=accountid", Map.of("Prefer", "odata.maxpagesize=2")).json().path("value");
        if (some.isEmpty()) {
            throw new Skipped("no account to look up");
        }
        String id = some.get(0).path("accountid").asText();
        JsonNode found = client.getJson("accounts?$select=accountid&$filter=" + Urls.encode(
                "Microsoft.Dynamics.CRM.In(PropertyName='accountid',PropertyValues=['" + id + "'])"));
        return found.path("value").size() == 1 && id.equalsIgnoreCase(found.path("value").get(0).path("accountid").asText())
                ? Optional.empty() : Optional.of("expected exactly account " + id + ", got " + found.path("value"));
    }

    private static Optional<String> count(DataverseClient client) {
        String text = new String(client.get("accounts/$count", Map.of()).body(), StandardCharsets.UTF_8).trim();
        return text.matches("\\d+") ? Optional.empty() : Optional.of("'" + text + "' is not a number");
    }

    private static Optional<String> totalRecordCount(DataverseClient client) {
        JsonNode answer = client.getJson("RetrieveTotalRecordCount(EntityNames=@p1)?@p1=" + Urls.encode("[\"account\"]"));
        JsonNode collection = answer.path("EntityRecordCountCollection");
        return collection.path("Keys").toString().contains("\"account\"") && collection.path("Values").isArray()
                ? Optional.empty() : Optional.of("got " + answer);
    }

    private static Optional<String> formattedValues(DataverseClient client) {
        JsonNode page = client.get("accounts?$select=statecode", Map.of("Prefer",
                "odata.maxpagesize=1,odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"")).json();
        if (page.path("value").isEmpty()) {
            throw new Skipped("no account");
        }
        return page.path("value").get(0).has("statecode@OData.Community.Display.V1.FormattedValue") ? Optional.empty()
                : Optional.of("no statecode@OData.Community.Display.V1.FormattedValue in " + page.path("value").get(0));
    }

    private static Optional<String> changeTracking(DataverseClient client) {
        JsonNode account = client.getJson("EntityDefinitions(LogicalName='account')?$select=ChangeTrackingEnabled");
        if (!account.path("ChangeTrackingEnabled").asBoolean(false)) {
            throw new Skipped("change tracking is not enabled for account");
        }
        String url = "accounts?$select=accountid";
        for (int pages = 0; pages < 10_000; pages++) {
            JsonNode page = client.get(url, Map.of("Prefer", "odata.track-changes,odata.maxpagesize=5000")).json();
            if (page.has("@odata.deltaLink")) {
                JsonNode delta = client.get(page.path("@odata.deltaLink").asText(), Map.of("Prefer", "odata.track-changes")).json();
                return delta.path("@odata.context").asText("").endsWith("/$delta") ? Optional.empty()
                        : Optional.of("the delta's @odata.context is '" + delta.path("@odata.context").asText("") + "'");
            }
            url = page.path("@odata.nextLink").asText("");
            if (url.isEmpty()) {
                return Optional.of("the last page has neither @odata.nextLink nor @odata.deltaLink");
            }
        }
        return Optional.of("more than 10,000 pages without a delta link");
    }

    private static Optional<String> fetchXml(DataverseClient client) {
        String fetch = "<fetch top=\"1\"><entity name=\"account\"><attribute name=\"accountid\"/></entity></fetch>";
        JsonNode page = client.getJson("accounts?fetchXml=" + Urls.encode(fetch));
        return page.path("value").size() <= 1 ? Optional.empty()
                : Optional.of(page.path("value").size() + " rows for top=\"1\" (the query was not applied)");
    }

    private static boolean isGuid(String text) {
        return text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    }
}
