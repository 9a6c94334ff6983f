package org.dataversebackup.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.check.CheckHeaders;
import org.dataversebackup.check.CheckReport;
import org.dataversebackup.check.Purpose;
import org.dataversebackup.check.ReportTable;
import org.dataversebackup.config.Selection;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the preflight check ({@code dataverse:check}) and prints the report: a table, or the JSON
 * report with {@code --json}. Exit code 0 passed (warnings allowed), 3 a requirement is not met,
 * 1 a step could not be checked (Dataverse or the authority unreachable), 2 bad usage or
 * configuration.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check the connection account against the requirements of a backup or a restore.",
                "Looks at the sign-in (consent, credentials), the user in the environment, its access mode, the tables"
                        + " and the privileges on each table. Exit code 0 passed, 3 a requirement is not met, 1"
                        + " something could not be checked, 2 bad usage."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar dataverse-backup.jar check",
                "  java -jar dataverse-backup.jar check --for restore --tables account,contact --json"})
class CheckCommand extends ApplicationCommand {
    @Mixin
    EnvironmentOption environment = new EnvironmentOption();

    @Option(names = "--for", paramLabel = "backup|restore", defaultValue = "backup", converter = PurposeConverter.class,
            description = "What the account must be able to do (default: ${DEFAULT-VALUE}).")
    Purpose purpose;

    @Option(names = "--tables", paramLabel = "a,b", description = "Logical names of the tables, or * (default:"
            + " backup.tables minus backup.exclude).")
    String tables;

    @Option(names = "--incremental", description = "Backup: check for an incremental backup (change tracking needs"
            + " Global read depth and change tracking on every table).")
    boolean incremental;

    @Option(names = "--lookups", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Restore: lookups are restored, so Append and AppendTo are needed (default: true;"
                    + " --no-lookups when they are not).")
    boolean lookups;

    @Option(names = "--json", description = "Print the JSON report instead of the table.")
    boolean json;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        if (incremental && purpose != Purpose.BACKUP) {
            throw new ConfigurationException("--incremental is a backup option; a restore check takes --tables and"
                    + " --lookups/--no-lookups.");
        }
        Map<String, Object> headers = new HashMap<>();
        headers.put(CheckHeaders.PURPOSE, purpose.value());
        if (tables != null) {
            List<String> selected = Selection.parse(tables, "--tables", "account,contact or *").orElseThrow();
            headers.put(CheckHeaders.TABLES, String.join(",", selected));
        }
        headers.put(CheckHeaders.LOOKUPS, lookups);
        headers.put(CheckHeaders.INCREMENTAL, incremental);
        try (CamelApplication app = startCamel(locations)) {
            Exchange result = app.template().request(environment.endpoint("check"), e -> e.getIn().setHeaders(headers));
            if (result.getException() != null) {
                throw result.getException();
            }
            CheckReport report = result.getProperty(CheckHeaders.REPORT_PROPERTY, CheckReport.class);
            Console.out().print(json ? report.toJson() + System.lineSeparator() : ReportTable.render(report));
            return ExitCodes.of(report);
        }
    }

    /** {@code backup} or {@code restore}, in any case; anything else is a usage error (exit 2). */
    static class PurposeConverter implements CommandLine.ITypeConverter<Purpose> {
        @Override
        public Purpose convert(String value) {
            try {
                return Purpose.parse(value);
            } catch (ConfigurationException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not backup or restore");
            }
        }
    }
}
