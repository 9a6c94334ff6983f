package org.dataversebackup.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * How fast the emulator serves 5,000-row pages, and how much heap a million rows take. Run with
 * {@code mvn -B -q -Pbenchmark test -Dtest=EmulatorBenchmarkTest}; results go to standard output
 * (target/surefire-reports/*EmulatorBenchmarkTest-output.txt).
 */
@Tag("benchmark")
class EmulatorBenchmarkTest {
    static final int ROWS = Integer.getInteger("emulator.benchmark.rows", 200_000);

    @Test
    void rowsPerSecondOf5000RowPages() throws Exception {
        try (DataverseEmulator emulator = DataverseEmulator.builder()
                .generate(DataSetSpec.builder().accounts(ROWS).contactsPerAccount(0).projects(0).build()).start()) {
            TestClient client = new TestClient(emulator);
            String token = client.appToken();
            readAll(client, token, emulator.webApiUrl() + "accounts"); // warm-up
            for (String select : new String[] {"", "?$select=name,accountnumber,revenue,_ownerid_value,modifiedon"}) {
                long start = System.nanoTime();
                long[] result = readAll(client, token, emulator.webApiUrl() + "accounts" + select);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("BENCHMARK sequential %s: %d rows, %d pages, %.1f MB in %.2f s = %,.0f rows/s%n",
                        select.isEmpty() ? "all columns" : "5 columns", result[0], result[1], result[2] / 1e6, seconds, result[0] / seconds);
                assertThat(result[0]).isEqualTo(ROWS);
            }
            int readers = 4;
            long start = System.nanoTime();
            List<CompletableFuture<long[]>> futures = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                TestClient own = new TestClient(emulator);
                futures.add(CompletableFuture.supplyAsync(() -> readAll(own, token, emulator.webApiUrl() + "accounts")));
            }
            long rows = 0;
            for (CompletableFuture<long[]> f : futures) {
                rows += f.join()[0];
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BENCHMARK %d parallel readers, all columns: %d rows in %.2f s = %,.0f rows/s%n", readers, rows, seconds,
                    rows / seconds);
        }
    }

    @Test
    void aMillionRowsFitInAFewHundredMegabytes() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long start = System.nanoTime();
        EmulatorState state = EmulatorState.generate(DataSetSpec.builder().accounts(1_000_000).contactsPerAccount(0).projects(0).build());
        long generated = System.nanoTime();
        System.gc();
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        System.out.printf("BENCHMARK 1,000,000 accounts: generated in %.1f s, heap %d MB%n", (generated - start) / 1e9,
                (after - before) / 1_000_000);
        assertThat(state.count("account")).isEqualTo(1_000_000);
        assertThat(after - before).isLessThan(500_000_000L);
    }

    /** Reads every page; returns {rows, pages, bytes}. */
    static long[] readAll(TestClient client, String token, String first) {
        long rows = 0;
        long pages = 0;
        long bytes = 0;
        String url = first;
        try {
            while (url != null) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                        .header("Accept", "application/json").header("OData-MaxVersion", "4.0").header("OData-Version", "4.0")
                        .header("Prefer", "odata.maxpagesize=5000").GET().build();
                HttpResponse<InputStream> response = client.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + response.statusCode());
                }
                url = null;
                CountingStream counting = new CountingStream(response.body());
                try (JsonParser parser = TestClient.JSON.getFactory().createParser(counting)) {
                    int depth = 0;
                    JsonToken token0;
                    while ((token0 = parser.nextToken()) != null) {
                        if (token0 == JsonToken.START_OBJECT) {
                            depth++;
                            if (depth == 2) {
                                rows++;
                            }
                        } else if (token0 == JsonToken.END_OBJECT) {
                            depth--;
                        } else if (token0 == JsonToken.FIELD_NAME && depth == 1 && "@odata.nextLink".equals(parser.getCurrentName())) {
                            parser.nextToken();
                            url = parser.getText();
                        }
                    }
                }
                bytes += counting.count;
                pages++;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new long[] {rows, pages, bytes};
    }

    static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
