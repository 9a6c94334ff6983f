package org.dataversebackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;

/** Every command and subcommand answers --help with its options and an example, wrapped to the width. */
class HelpTest {
    private static final int WIDTH = 72;

    /** The command paths: "backup", "config show", ... */
    static Stream<String> commands() {
        List<String> paths = new ArrayList<>();
        collect(DataverseBackupCommand.commandLine(Map.of()), "", paths);
        return paths.stream();
    }

    private static void collect(CommandLine command, String prefix, List<String> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            String path = (prefix + " " + name).strip();
            paths.add(path);
            collect(sub, path, paths);
        });
    }

    private record Help(int exitCode, String out, String err) {
    }

    private static Help help(Map<String, String> environment, String... args) {
        CommandLine commandLine = DataverseBackupCommand.commandLine(environment);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Help(exitCode, out.toString(), err.toString());
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandHasHelpWithOptionsAndAnExampleThatFitsTheWidth(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        Help help = help(Map.of("COLUMNS", String.valueOf(WIDTH)), args.toArray(String[]::new));

        assertThat(help.exitCode()).as(help.err()).isZero();
        assertThat(help.out()).contains("Usage: dataverse-backup " + command, "-h, --help", "Examples:",
                "java -jar dataverse-backup.jar " + command.split(" ")[0]);
        assertThat(help.out().lines()).as(help.out()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(WIDTH));
    }

    @Test
    void backupHelpShowsItsOptionsAndWhereTheirDefaultsComeFrom() {
        Help help = help(Map.of("COLUMNS", "200"), "backup", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--tables", "--target", "backup.target", "--profile", "--config");
    }

    @Test
    void theCommandListGivesEveryCommandAWholeSentence() {
        Help help = help(Map.of("COLUMNS", "80"), "--help");
        String commands = help.out().substring(help.out().indexOf("Commands:") + "Commands:".length(),
                help.out().indexOf("Examples:"));
        // a summary ends with a full stop before the next command (or the end of the list) starts
        assertThat(commands.strip().split("\\R(?=  \\S)")).allSatisfy(entry ->
                assertThat(entry.strip()).as(entry).endsWith("."));
    }

    @Test
    void helpIsAsWideAsColumnsAndNeverNarrowerThanPicocliAllows() {
        assertThat(HelpWidth.columns(Map.of("COLUMNS", "120"))).hasValue(120);
        assertThat(HelpWidth.columns(Map.of("COLUMNS", "20"))).hasValue(HelpWidth.MINIMUM);
        assertThat(HelpWidth.columns(Map.of("COLUMNS", "wide"))).isEmpty();
        assertThat(HelpWidth.columns(Map.of())).isEmpty();
        assertThat(help(Map.of("COLUMNS", "120"), "--help").out().lines().mapToInt(String::length).max().orElse(0))
                .isGreaterThan(80);
    }
}
