package org.dataversebackup.dataverse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** File and image columns are found in an EntityDefinition by AttributeTypeName, and a row's value is seen as Dataverse shows it. */
class FileColumnTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void fileAndImageColumnsAreFoundByTheirTypeNameNotByTheirNames() throws Exception {
        JsonNode definition = json("{'LogicalName':'account','Attributes':["
                + "{'LogicalName':'name','AttributeType':'String','AttributeTypeName':{'Value':'StringType'}},"
                + "{'LogicalName':'new_contract','AttributeType':'Virtual','AttributeTypeName':{'Value':'FileType'},'MaxSizeInKB':32768},"
                + "{'LogicalName':'new_contract_name','AttributeType':'String','AttributeTypeName':{'Value':'StringType'},"
                + "'AttributeOf':'new_contract'},"
                + "{'LogicalName':'entityimage','AttributeType':'Virtual','AttributeTypeName':{'Value':'ImageType'},"
                + "'CanStoreFullImage':true},"
                + "{'LogicalName':'new_logo','AttributeType':'Virtual','AttributeTypeName':{'Value':'ImageType'},"
                + "'CanStoreFullImage':false},"
                + "{'LogicalName':'new_tags','AttributeType':'Virtual','AttributeTypeName':{'Value':'MultiSelectPicklistType'}}]}");
        assertThat(FileColumn.of(definition)).containsExactly(new FileColumn("new_contract", false, false),
                new FileColumn("entityimage", true, true), new FileColumn("new_logo", true, false));
        assertThat(new FileColumn("entityimage", true, true).fullImage()).isTrue();
        assertThat(new FileColumn("entityimage", true, true).imageSize()).isEqualTo("full");
        assertThat(new FileColumn("new_logo", true, false).fullImage()).isFalse();
        assertThat(new FileColumn("new_logo", true, false).imageSize()).isEqualTo("thumbnail");
        assertThat(new FileColumn("new_contract", false, false).imageSize()).isNull();
        // a schema saved without the ImageAttributeMetadata properties: thumbnails, never a ?size=full that answers 204
        assertThat(FileColumn.of(json("{'Attributes':[{'LogicalName':'x','AttributeTypeName':{'Value':'ImageType'}}]}")))
                .containsExactly(new FileColumn("x", true, false));
    }

    @Test
    void aRowHoldsAFileWhenTheFileIdIsSetAndAnImageWhenItsThumbnailOrImageIdIs() throws Exception {
        FileColumn file = new FileColumn("new_contract", false, false);
        assertThat(file.hasValue(json("{'new_contract':'0b7e2c9a-0000-4000-8000-000000000001','new_contract_name':'a.pdf'}")))
                .isTrue();
        assertThat(file.hasValue(json("{'new_contract':null,'new_contract_name':null}"))).isFalse();
        assertThat(file.hasValue(json("{'name':'no file column selected'}"))).isFalse();
        FileColumn image = new FileColumn("entityimage", true, true);
        assertThat(image.hasValue(json("{'entityimage':'iVBORw0KGgo=','entityimageid':'0b7e2c9a-0000-4000-8000-000000000002'}")))
                .isTrue();
        // the thumbnail is not always in the row (only when selected): the image id tells
        assertThat(image.hasValue(json("{'entityimageid':'0b7e2c9a-0000-4000-8000-000000000002'}"))).isTrue();
        assertThat(image.hasValue(json("{'entityimage':null,'entityimageid':null,'entityimage_url':null}"))).isFalse();
    }
}
