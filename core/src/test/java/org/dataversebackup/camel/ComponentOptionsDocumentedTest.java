package org.dataversebackup.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.junit.jupiter.api.Test;

/**
 * The README's table of the dataverse: component's options is the component's metadata (its
 * {@code @UriPath}/{@code @UriParam} annotations): names, defaults and descriptions. When this
 * fails, the message holds the table to paste between the README's markers.
 */
class ComponentOptionsDocumentedTest {
    private static final String BEGIN = "<!-- dataverse-options:begin (generated from DataverseEndpoint; ComponentOptionsDocumentedTest checks it) -->";
    private static final String END = "<!-- dataverse-options:end -->";

    @Test
    void theReadmeListsEveryOptionAsTheComponentDeclaresIt() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains(BEGIN, END);
        String documented = readme.substring(readme.indexOf(BEGIN) + BEGIN.length(), readme.indexOf(END)).trim();
        assertThat(documented).as("README table, expected:%n%s%n", table()).isEqualTo(table());
    }

    static String table() {
        List<String> rows = new ArrayList<>();
        rows.add("| option | for | default | description |");
        rows.add("|---|---|---|---|");
        for (Field field : DataverseEndpoint.class.getDeclaredFields()) {
            UriPath path = field.getAnnotation(UriPath.class);
            UriParam param = field.getAnnotation(UriParam.class);
            if (path == null && param == null) {
                continue;
            }
            Metadata metadata = field.getAnnotation(Metadata.class);
            boolean required = metadata != null && metadata.required();
            String label = param != null && !param.label().isEmpty() ? param.label().replace(",", ", ") : "all";
            String defaultValue = param != null ? param.defaultValue() : "";
            String description = (path != null ? path.description() : param.description())
                    + (path != null ? " (the URI's path" + (required ? ", required" : "") + ")" : "")
                    + (param != null && param.secret() ? " (secret)" : "");
            rows.add("| `" + field.getName() + "` | " + label + " | " + (defaultValue.isEmpty() ? "" : "`" + defaultValue + "`")
                    + " | " + markdown(description) + " |");
        }
        return String.join("\n", rows);
    }

    /** Plain text in a Markdown cell: * and <name> shown as written. */
    private static String markdown(String text) {
        return text.replace("*", "\\*").replace("<", "&lt;").replace(">", "&gt;");
    }
}
