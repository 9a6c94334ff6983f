package org.dataversebackup.auth;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Shows the device code sign-in step to the person at the console: the verification URL and the
 * code. Called once per device code flow. The default prints one line to standard error (standard
 * output carries command results).
 */
@FunctionalInterface
public interface DeviceCodePrompt {

    void show(String verificationUrl, String userCode, Duration expiresIn);

    /** Prints to standard error. */
    static DeviceCodePrompt console() {
        return printingTo(System.err);
    }

    static DeviceCodePrompt printingTo(PrintStream out) {
        return (url, code, expiresIn) -> {
            out.println("To sign in the Dataverse connection account, open " + url + " in a browser and enter the"
                    + " code " + code + " (within " + Math.max(1, expiresIn.toMinutes()) + " minutes).");
            out.flush();
        };
    }
}
