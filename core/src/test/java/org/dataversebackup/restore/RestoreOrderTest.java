package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class RestoreOrderTest {
    @Test
    void dependenciesFirstAndCyclesKeptTogether() {
        RestoreOrder order = RestoreOrder.of(List.of(Schemas.project(), Schemas.contact(), Schemas.account()));
        // account <-> contact form a cycle (primarycontactid, parentcustomerid); dvb_project needs account
        assertThat(order.tables()).containsExactly("account", "contact", "dvb_project");
    }

    @Test
    void selfReferencesAndForwardReferencesInACycleWaitForTheSecondPass() {
        RestoreOrder order = RestoreOrder.of(List.of(Schemas.project(), Schemas.contact(), Schemas.account()));
        assertThat(order.deferred("account", "account")).as("parent account").isTrue();
        assertThat(order.deferred("dvb_project", "dvb_project")).as("parent project").isTrue();
        assertThat(order.deferred("account", "contact")).as("primary contact, restored later").isTrue();
        assertThat(order.deferred("contact", "account")).as("parent customer account, restored earlier").isFalse();
        assertThat(order.deferred("contact", "contact")).as("parent customer contact").isTrue();
        assertThat(order.deferred("dvb_project", "account")).isFalse();
        assertThat(order.deferred("account", "systemuser")).as("not restored in this run").isFalse();
    }

    @Test
    void aTableAloneHasNoOtherDependency() {
        RestoreOrder order = RestoreOrder.of(List.of(Schemas.project()));
        assertThat(order.tables()).containsExactly("dvb_project");
        assertThat(order.deferred("dvb_project", "account")).isFalse();
    }

    @Test
    void extraDependenciesPutATableAfterTablesNoLookupOfItsOwnPointsTo() {
        // as an activity comes after the tables its parties point to: contact has no lookup to
        // dvb_project and comes first by name, unless told otherwise
        assertThat(RestoreOrder.of(List.of(Schemas.project(), Schemas.contact())).tables()).containsExactly("contact", "dvb_project");
        RestoreOrder order = RestoreOrder.of(List.of(Schemas.project(), Schemas.contact()),
                java.util.Map.of("contact", List.of("dvb_project", "systemuser", "contact")));
        assertThat(order.tables()).containsExactly("dvb_project", "contact");
        assertThat(order.deferred("contact", "dvb_project")).isFalse();
    }
}
