package org.dataversebackup.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ExceptionHandler;
import org.dataversebackup.auth.AuthSettings;
import org.dataversebackup.dataverse.DataverseException;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.emulator.DataverseEmulator;
import org.dataversebackup.emulator.EmulatorIdentities;
import org.dataversebackup.testsupport.EmulatorTrust;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** dataverse:records and dataverse:write against the emulator over HTTPS. */
class DataverseRecordsAndWriteTest {
    /** Decimals as BigDecimal, as the emulator keeps them (1.0000000000 is not the double 1.0). */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** 25 accounts with 2 contacts each: 50 contacts, several pages at a small page size. */
    private static final int ACCOUNTS = 25;
    private static final int CONTACTS = ACCOUNTS * 2;

    private static DataverseEmulator emulator;
    private static EmulatorTrust trust;

    private CamelContext context;
    private ProducerTemplate template;
    private final Captured rows = new Captured();

    @BeforeAll
    static void startEmulator() {
        emulator = DataverseEmulator.builder().port(0).generate(DataSetSpec.sized(ACCOUNTS, 2, 2)).start();
        trust = EmulatorTrust.of(emulator);
    }

    @AfterAll
    static void stopEmulator() {
        if (emulator != null) {
            emulator.close();
        }
        if (trust != null) {
            trust.close();
        }
    }

    @BeforeEach
    void startContext() throws Exception {
        context = new DefaultCamelContext();
        context.getPropertiesComponent().addOverrideProperty(AuthSettings.DATAVERSE_URL, emulator.environmentUrl());
        context.getPropertiesComponent().addOverrideProperty(AuthSettings.MODE, "client-secret");
        context.getPropertiesComponent().addOverrideProperty(AuthSettings.TENANT_ID, emulator.tenantId());
        context.getPropertiesComponent().addOverrideProperty(AuthSettings.AUTHORITY, emulator.authority());
        context.getPropertiesComponent().addOverrideProperty(AuthSettings.CLIENT_ID, EmulatorIdentities.APP_CLIENT_ID);
        context.getPropertiesComponent().addOverrideProperty(AuthSettings.CLIENT_SECRET, EmulatorIdentities.APP_CLIENT_SECRET);
        new DataverseBackupConfiguration().configure(context);
        context.getShutdownStrategy().setTimeout(10);
        context.getRegistry().bind("pollErrors", rows.errorHandler());
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopContext() throws Exception {
        emulator.faults().clear();
        if (context != null) {
            context.close();
        }
    }

    // ------------------------------------------------------------------ dataverse:records

    @Test
    void readsEveryRowOfAMultiPageTableExactlyOnce() throws Exception {
        context.addRoutes(reading("dataverse:records?table=contact&pageSize=7&repeatCount=1&initialDelay=0"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows.received.size() >= CONTACTS);
        Thread.sleep(300); // nothing more may arrive: the single poll read the table once

        List<UUID> ids = new ArrayList<>();
        for (Exchange row : rows.received) {
            JsonNode body = JSON.readTree(row.getMessage().getBody(String.class));
            UUID id = UUID.fromString(row.getMessage().getHeader(DataverseHeaders.RECORD_ID, String.class));
            assertThat(row.getMessage().getHeader(DataverseHeaders.TABLE)).isEqualTo("contact");
            assertThat(body.path("contactid").asText()).isEqualTo(id.toString());
            JsonNode stored = emulator.state().row("contact", id).orElseThrow();
            for (String column : columns(stored)) {
                assertThat(body.get(column)).as(column).isEqualTo(stored.get(column));
            }
            ids.add(id);
        }
        assertThat(ids).hasSize(CONTACTS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(emulator.state().ids("contact"));
        assertThat(rows.errors).isEmpty();
    }

    @Test
    void selectAndFilterRestrictTheColumnsAndRows() throws Exception {
        JsonNode first = emulator.state().row("account", emulator.state().ids("account").get(0)).orElseThrow();
        String number = first.path("accountnumber").asText();
        context.addRoutes(reading("dataverse:records?table=account&select=name,accountnumber&pageSize=2&repeatCount=1&initialDelay=0"
                + "&odataFilter=RAW(accountnumber eq '" + number + "' or accountnumber eq 'ACC-0000002')"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows.received.size() >= 2);
        Thread.sleep(300);

        assertThat(rows.received).hasSize(2);
        Set<String> numbers = new HashSet<>();
        for (Exchange row : rows.received) {
            JsonNode body = JSON.readTree(row.getMessage().getBody(String.class));
            assertThat(columns(body)).containsExactlyInAnyOrder("accountid", "name", "accountnumber");
            numbers.add(body.path("accountnumber").asText());
        }
        assertThat(numbers).containsExactlyInAnyOrder(number, "ACC-0000002");
    }

    @Test
    void stoppingTheRouteStopsTheReading() throws Exception {
        emulator.faults().pageLatency(Duration.ofMillis(50));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("dataverse:records?table=contact&pageSize=5&repeatCount=1&initialDelay=0").routeId("slow")
                        .process(e -> Thread.sleep(20)).process(rows::add);
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.received.size() >= 5);

        context.getRouteController().stopRoute("slow");
        int afterStop = rows.received.size();
        Thread.sleep(500);

        assertThat(afterStop).isLessThan(CONTACTS);
        assertThat(rows.received).hasSize(afterStop);
    }

    @Test
    void aFailingRowGoesToTheConsumersErrorHandlingAndTheNextRowsStillArrive() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("dataverse:records?table=account&pageSize=10&repeatCount=1&initialDelay=0&exceptionHandler=#pollErrors")
                        .errorHandler(noErrorHandler())
                        .process(rows::add)
                        .filter(header(DataverseHeaders.RECORD_ID).isEqualTo(
                                emulator.state().ids("account").get(3).toString()))
                        .throwException(new IllegalStateException("this row fails"));
            }
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> rows.received.size() >= ACCOUNTS);
        assertThat(rows.errors).singleElement().satisfies(e -> assertThat(e).hasMessage("this row fails"));
    }

    @Test
    void aMissingTableOptionOrAPageSizeOutOfRangeFailsTheRoute() {
        assertThatThrownBy(() -> context.addRoutes(reading("dataverse:records?initialDelay=0")))
                .hasStackTraceContaining("dataverse:records needs the option table");
        assertThatThrownBy(() -> context.addRoutes(reading("dataverse:records?table=account&pageSize=0")))
                .hasStackTraceContaining("pageSize").hasStackTraceContaining("1 to 5000");
        assertThatThrownBy(() -> context.addRoutes(reading("dataverse:records?table=account&pageSize=5001")))
                .hasStackTraceContaining("pageSize").hasStackTraceContaining("not 5001");
        assertThatThrownBy(() -> context.addRoutes(reading("dataverse:records?table=account&noSuchOption=1")))
                .hasStackTraceContaining("noSuchOption");
    }

    @Test
    void anUnknownTableIsReportedByName() throws Exception {
        context.addRoutes(reading("dataverse:records?table=nosuchtable&repeatCount=1&initialDelay=0&exceptionHandler=#pollErrors"));

        await().atMost(Duration.ofSeconds(30)).until(() -> !rows.errors.isEmpty());
        assertThat(rows.errors.peek()).hasMessageContaining("No such table").hasMessageContaining("nosuchtable");
        assertThat(rows.received).isEmpty();
    }

    // ------------------------------------------------------------------ dataverse:write

    @Test
    void upsertCreatesTheRowThenUpdatesIt() {
        UUID id = UUID.randomUUID();
        int before = emulator.state().count("account");

        Exchange created = write("dataverse:write?table=account", "{\"name\":\"Upserted Ltd\"}", id.toString());
        assertThat(created.getException()).isNull();
        assertThat(created.getMessage().getHeader(DataverseHeaders.RECORD_ID)).isEqualTo(id.toString());
        assertThat(created.getMessage().getHeader(DataverseHeaders.WRITE_STATUS)).isEqualTo(204);
        assertThat(created.getMessage().getBody(String.class)).isEqualTo("{\"name\":\"Upserted Ltd\"}");
        assertThat(emulator.state().row("account", id).orElseThrow().path("name").asText()).isEqualTo("Upserted Ltd");

        // the id from the body this time, and a Map body
        Exchange updated = write("dataverse:write?table=account&mode=upsert",
                Map.of("accountid", id.toString(), "name", "Renamed Ltd"), null);
        assertThat(updated.getException()).isNull();
        assertThat(updated.getMessage().getHeader(DataverseHeaders.RECORD_ID)).isEqualTo(id.toString());
        assertThat(emulator.state().row("account", id).orElseThrow().path("name").asText()).isEqualTo("Renamed Ltd");
        assertThat(emulator.state().count("account")).isEqualTo(before + 1);
    }

    @Test
    void createTakesTheIdOfTheHeaderOrBodyOrTheOneDataverseAssigns() {
        Exchange assigned = write("dataverse:write?table=account&mode=create", "{\"name\":\"New Co\"}", null);
        assertThat(assigned.getException()).isNull();
        UUID id = UUID.fromString(assigned.getMessage().getHeader(DataverseHeaders.RECORD_ID, String.class));
        assertThat(emulator.state().row("account", id).orElseThrow().path("name").asText()).isEqualTo("New Co");

        UUID fromHeader = UUID.randomUUID();
        ObjectNode body = JSON.createObjectNode().put("name", "Header Co");
        Exchange withHeader = write("dataverse:write?table=account&mode=create", body, fromHeader.toString());
        assertThat(withHeader.getException()).isNull();
        assertThat(withHeader.getMessage().getBody()).isSameAs(body);
        assertThat(body.has("accountid")).as("the exchange's body is left as it was").isFalse();
        assertThat(emulator.state().row("account", fromHeader).orElseThrow().path("name").asText()).isEqualTo("Header Co");

        UUID inBody = UUID.randomUUID();
        Exchange withBody = write("dataverse:write?table=account&mode=create",
                ("{\"accountid\":\"" + inBody + "\",\"name\":\"Body Co\"}").getBytes(), null);
        assertThat(withBody.getMessage().getHeader(DataverseHeaders.RECORD_ID)).isEqualTo(inBody.toString());
        assertThat(emulator.state().row("account", inBody)).isPresent();

        Exchange again = write("dataverse:write?table=account&mode=create", "{\"name\":\"Again\"}", inBody.toString());
        assertThat(again.getException()).isInstanceOf(DataverseException.class);
        assertThat(((DataverseException) again.getException()).status()).isEqualTo(412);
    }

    @Test
    void updateOfAMissingRowFailsClearly() {
        UUID missing = UUID.randomUUID();
        Exchange result = write("dataverse:write?table=account&mode=update", "{\"name\":\"Ghost\"}", missing.toString());

        assertThat(result.getException()).isInstanceOf(DataverseException.class)
                .hasMessageContaining("the account row " + missing + " does not exist")
                .hasMessageContaining("mode=update");
        assertThat(((DataverseException) result.getException()).status()).isEqualTo(404);
        assertThat(emulator.state().row("account", missing)).isEmpty();

        UUID existing = emulator.state().ids("account").get(0);
        Exchange updated = write("dataverse:write?table=account&mode=update", "{\"name\":\"Updated\"}", existing.toString());
        assertThat(updated.getException()).isNull();
        assertThat(emulator.state().row("account", existing).orElseThrow().path("name").asText()).isEqualTo("Updated");
    }

    @Test
    void aThrottledWriteIsRetried() {
        UUID id = UUID.randomUUID();
        write("dataverse:write?table=account", "{\"name\":\"Warm-up\"}", id.toString()); // metadata read, token
        long injected = emulator.faults().injectedCount();
        emulator.faults().throttleNext(2, Duration.ofSeconds(1));

        Exchange result = write("dataverse:write?table=account", "{\"name\":\"After 429\"}", id.toString());

        assertThat(result.getException()).isNull();
        assertThat(emulator.faults().injectedCount() - injected).isEqualTo(2);
        assertThat(emulator.state().row("account", id).orElseThrow().path("name").asText()).isEqualTo("After 429");
    }

    @Test
    void writeErrorsNameWhatIsWrong() {
        assertThatThrownBy(() -> context.addRoutes(writing("dataverse:write")))
                .hasStackTraceContaining("dataverse:write needs the option table");
        assertThatThrownBy(() -> context.addRoutes(writing("dataverse:write?table=account&mode=merge")))
                .hasStackTraceContaining("The option mode of dataverse:write is upsert, create or update, not 'merge'");

        Exchange unknownTable = write("dataverse:write?table=nosuchtable", "{\"name\":\"x\"}", UUID.randomUUID().toString());
        assertThat(unknownTable.getException()).hasMessageContaining("No such table").hasMessageContaining("nosuchtable");

        Exchange noId = write("dataverse:write?table=account&mode=update", "{\"name\":\"x\"}", null);
        assertThat(noId.getException()).hasMessageContaining("needs the row's id")
                .hasMessageContaining(DataverseHeaders.RECORD_ID).hasMessageContaining("accountid");

        Exchange notAnObject = write("dataverse:write?table=account", "[1, 2]", UUID.randomUUID().toString());
        assertThat(notAnObject.getException()).hasMessageContaining("must be a row: a JSON object, not array");

        Exchange refused = write("dataverse:write?table=account", "{\"nosuchcolumn\":1}", UUID.randomUUID().toString());
        assertThat(refused.getException()).isInstanceOf(DataverseException.class).hasMessageContaining("nosuchcolumn");
        assertThat(((DataverseException) refused.getException()).status()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ helpers

    private Exchange write(String uri, Object body, String id) {
        return template.send(uri, exchange -> {
            exchange.getMessage().setBody(body);
            if (id != null) {
                exchange.getMessage().setHeader(DataverseHeaders.RECORD_ID, id);
            }
        });
    }

    /** A route that keeps what the consumer emits. */
    private RouteBuilder reading(String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(rows::add);
            }
        };
    }

    /** A route that sends to the producer. */
    private static RouteBuilder writing(String uri) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:write").to(uri);
            }
        };
    }

    /** The row's properties, without annotations (@odata.etag, lookuplogicalname). */
    private static List<String> columns(JsonNode row) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = row.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!name.contains("@")) {
                names.add(name);
            }
        }
        names.sort(null);
        return names;
    }

    /** What the routes under test received, and the errors their consumers reported. */
    private static final class Captured {
        final List<Exchange> received = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

        void add(Exchange exchange) {
            received.add(exchange.copy());
        }

        ExceptionHandler errorHandler() {
            return new ExceptionHandler() {
                @Override
                public void handleException(Throwable exception) {
                    errors.add(exception);
                }

                @Override
                public void handleException(String message, Throwable exception) {
                    errors.add(exception);
                }

                @Override
                public void handleException(String message, Exchange exchange, Throwable exception) {
                    errors.add(exception);
                }
            };
        }
    }
}
