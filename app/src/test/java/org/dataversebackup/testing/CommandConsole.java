package org.dataversebackup.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test of a command needs around it: the command's System.out and System.err captured, and
 * the system properties it sets (the command line's configuration layer) put back afterwards, so
 * tests in the same JVM do not see each other's settings. Register it with
 * {@code @RegisterExtension final CommandConsole console = new CommandConsole();}.
 */
public final class CommandConsole implements BeforeEachCallback, AfterEachCallback {
    private final Map<String, String> saved = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @Override
    public void beforeEach(ExtensionContext context) {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(originalOut);
        System.setErr(originalErr);
        saved.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        saved.clear();
    }

    /** Sets a system property for this test only. */
    public void set(String key, String value) {
        saved.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    /** What the command printed to System.out since the test began or the last {@link #clear()}. */
    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the command printed to System.err since the test began or the last {@link #clear()}. */
    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Forgets what was printed so far, before the next command of the same test. */
    public void clear() {
        out.reset();
        err.reset();
    }
}
