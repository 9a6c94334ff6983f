package org.dataversebackup.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "emulator", description = "Run the bundled Dataverse emulator (Web API and token endpoint on loopback).")
class EmulatorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NotAvailableYet.report("emulator", "issue #3");
    }
}
