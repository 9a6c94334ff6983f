package org.dataversebackup.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class QuantitiesTest {
    @Test
    void countsHaveThousandsSeparatorsAndTheRightPlural() {
        assertThat(Quantities.count(1, "record")).isEqualTo("1 record");
        assertThat(Quantities.count(0, "part")).isEqualTo("0 parts");
        assertThat(Quantities.count(1234567, "byte")).isEqualTo("1,234,567 bytes");
    }

    @Test
    void durationsReadAsSecondsMinutesOrHours() {
        assertThat(Quantities.duration(0.42)).isEqualTo("0.4 s");
        assertThat(Quantities.duration(185)).isEqualTo("3 min 5 s");
        assertThat(Quantities.duration(7830)).isEqualTo("2 h 10 min");
    }

    @Test
    void aReportsCountsAreAPhraseNotAMapDump() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("table", "account");
        report.put("inSnapshot", 1500L);
        report.put("selected", 1500L);
        report.put("toCreate", 3L);
        report.put("updated", 0L);
        report.put("unchanged", 1497L);
        report.put("failed", 0L);
        report.put("seconds", 1.5);
        assertThat(Quantities.counts(report, Set.of("inSnapshot"), Set.of("failed")))
                .isEqualTo("1,500 selected, 3 to create, 1,497 unchanged, 0 failed");
    }
}
