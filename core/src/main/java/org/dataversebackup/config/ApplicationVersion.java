package org.dataversebackup.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The tool's version, written into the jar by the build (see src/main/resources-filtered). */
public final class ApplicationVersion {
    private static final String VERSION = load();

    private ApplicationVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ApplicationVersion.class.getResourceAsStream("/dataverse-backup-version.properties")) {
            if (in == null) {
                return "development";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "development");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
