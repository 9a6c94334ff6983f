package org.dataversebackup.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dataversebackup.config.ConfigurationException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class RecordFilterTest {
    private final JsonNode account = Schemas.json("""
            {"accountid":"a1","name":"Contoso Ltd","revenue":5000.0000,"statecode":0,"address1_city":"Lyon",
             "_parentaccountid_value":null,"_ownerid_value":"5A6B7C8D-9E0F-4A1B-8C2D-4E5F6A7B8C9D"}
            """);

    @Test
    void conditionsOnSavedFields() {
        assertThat(RecordFilter.parse("name=contoso ltd").matches(account)).as("case-insensitive").isTrue();
        assertThat(RecordFilter.parse("revenue=5000").matches(account)).as("numbers by value").isTrue();
        assertThat(RecordFilter.parse("statecode=0;address1_city=Paris|Lyon").matches(account)).isTrue();
        assertThat(RecordFilter.parse("statecode=0;address1_city=Paris").matches(account)).isFalse();
        assertThat(RecordFilter.parse("parentaccountid=null").matches(account)).as("a lookup by its column name").isTrue();
        assertThat(RecordFilter.parse("_ownerid_value=5a6b7c8d-9e0f-4a1b-8c2d-4e5f6a7b8c9d").matches(account)).isTrue();
        assertThat(RecordFilter.parse("ownerid!=null").matches(account)).isTrue();
        assertThat(RecordFilter.parse("name!=Contoso Ltd").matches(account)).isFalse();
        assertThat(RecordFilter.parse("nosuchfield=null").matches(account)).as("absent is empty").isTrue();
    }

    @Test
    void appliesToTablesHavingTheColumns() {
        assertThat(RecordFilter.parse("name=x;parentaccountid=null").appliesTo(Schemas.account())).isTrue();
        assertThat(RecordFilter.parse("name=x").appliesTo(Schemas.contact())).isFalse();
    }

    @Test
    void badExpressionsAreUsageErrors() {
        assertThatThrownBy(() -> RecordFilter.parse("name")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> RecordFilter.parse("=x")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> RecordFilter.parse("na me=x")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> RecordFilter.parse(" ; ")).isInstanceOf(ConfigurationException.class);
    }
}
