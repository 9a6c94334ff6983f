package org.dataversebackup.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.camel.BeanNames;
import org.dataversebackup.dataverse.DataverseClient;
import org.dataversebackup.emulator.DataSetSpec;
import org.dataversebackup.testsupport.EmulatorEnvironment;
import org.junit.jupiter.api.Test;

/** The row totals of progress lines come from Dataverse's RetrieveTotalRecordCount, one request for the whole scope. */
class TableTotalsTest {

    @Test
    void everyTableInScopeGetsDataversesCount() {
        try (EmulatorEnvironment environment = EmulatorEnvironment.start(DataSetSpec.sized(7, 2, 3));
                CamelApplication app = environment.startApplication(Map.of())) {
            DataverseClient client = app.context().getRegistry().lookupByNameAndType(
                    BeanNames.of("default", BeanNames.DATAVERSE_CLIENT), DataverseClient.class);
            Map<String, Long> totals = TableTotals.of(client, List.of(new TableScope("account", "accounts", "accountid", true),
                    new TableScope("contact", "contacts", "contactid", true)));
            assertThat(totals).containsEntry("account", 7L).containsEntry("contact", 14L);
            assertThat(TableTotals.of(client, List.of(new TableScope("nosuchtable", "nosuchtables", "id", true))))
                    .as("a table Dataverse cannot count: no totals, no failure").isEmpty();
        }
    }
}
