package org.dataversebackup.cli;

import org.dataversebackup.cli.ExitCodes;

/** What a command whose work has not landed yet answers: it says so and exits 2. */
final class NotAvailableYet {
    private NotAvailableYet() {
    }

    static int report(String command, String issue) {
        Console.error("the '" + command + "' command is not available yet (" + issue + ").", null);
        return ExitCodes.USAGE;
    }
}
