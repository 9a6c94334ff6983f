package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dataversebackup.config.ConfigurationException;
import org.junit.jupiter.api.Test;

class PartitioningTest {

    @Test
    void autoReadsSmallAndUncountedTablesWholeAndBigOnesInOneRangePer50000RowsUpToTheReaders() {
        Partitioning auto = Partitioning.parse("auto");
        assertThat(auto.partitions(-1, 8)).as("not counted").isEqualTo(1);
        assertThat(auto.partitions(99_999, 8)).isEqualTo(1);
        assertThat(auto.partitions(100_000, 8)).isEqualTo(2);
        assertThat(auto.partitions(260_000, 8)).isEqualTo(5);
        assertThat(auto.partitions(1_000_000, 8)).as("capped by the readers").isEqualTo(8);
        assertThat(auto.partitions(1_000_000, 1)).isEqualTo(1);
        assertThat(auto.partitions(100_000_000, 200)).as("capped by Dataverse's concurrent requests").isEqualTo(52);
        assertThat(Partitioning.parse("").partitions(1_000_000, 4)).isEqualTo(4);
        assertThat(Partitioning.parse(" AUTO ")).hasToString("auto");
    }

    @Test
    void aNumberForcesItWhateverTheSize() {
        assertThat(Partitioning.parse("1").partitions(10_000_000, 8)).isEqualTo(1);
        assertThat(Partitioning.parse("6").partitions(10, 2)).isEqualTo(6);
        assertThat(Partitioning.parse("6")).hasToString("6");
    }

    @Test
    void anythingElseIsRefusedSayingWhatIsAllowed() {
        for (String wrong : new String[] {"0", "53", "many", "-2", "1.5"}) {
            assertThatThrownBy(() -> Partitioning.parse(wrong)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("backup.partitions is '" + wrong + "'").hasMessageContaining("auto or a whole number");
        }
    }
}
