package org.dataversebackup.app;

import org.dataversebackup.config.ConfigurationException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Where the configuration and the routes come from.
 *
 * <p>Configuration files are layers, lowest first: the defaults bundled in the jar, then
 * {@code config/} of the working directory, then the file or folder given with {@code --config};
 * in each folder {@code application.properties} and then {@code application-<profile>.properties}.
 * A key set in a higher layer wins, so a user's file needs only the keys it changes (the
 * environment URL and the connection account). Environment variables, {@code -D} and the command
 * line sit above the files (see {@link ProcessPropertySources}).
 *
 * <p>Routes are not layered: the {@code --routes} folder, else {@code routes/} of the working
 * directory, else the copy bundled in the jar (so {@code java -jar} works from any folder).
 */
public final class AppLocations {
    static final String BUNDLED_CONFIG = "bundled/config";
    static final String BUNDLED_ROUTES = "bundled/routes";
    static final String BUNDLED_DEFAULTS = "classpath:" + BUNDLED_CONFIG + "/application.properties";

    private final List<String> configFiles;
    private final String routesPattern;
    private final String profile;

    private AppLocations(List<String> configFiles, String routesPattern, String profile) {
        this.configFiles = List.copyOf(configFiles);
        this.routesPattern = routesPattern;
        this.profile = profile;
    }

    /**
     * @param configOption the {@code --config} option (a properties file, or a folder with
     *                     application.properties), or null
     * @param routesDir    the {@code --routes} option, or null
     * @param profile      the {@code --profile} option, or null
     * @param workingDir   where {@code config/} and {@code routes/} are looked up
     */
    public static AppLocations resolve(Path configOption, Path routesDir, String profile, Path workingDir) {
        String cleanProfile = profile == null || profile.isBlank() ? null : profile.trim();
        List<String> files = new ArrayList<>();
        addFolder(files, "classpath:" + BUNDLED_CONFIG, cleanProfile);
        Path workingConfig = workingDir.resolve("config").toAbsolutePath().normalize();
        if (Files.isDirectory(workingConfig)) {
            addFolder(files, "file:" + workingConfig, cleanProfile);
        }
        if (configOption != null) {
            addOption(files, configOption, cleanProfile);
        }
        if (cleanProfile != null && files.stream().noneMatch(f -> f.endsWith("/application-" + cleanProfile + ".properties"))) {
            throw new ConfigurationException("Profile '" + cleanProfile + "' has no file application-" + cleanProfile
                    + ".properties in " + (configOption != null ? configOption : "config/") + " or in the jar; create it"
                    + " or choose another --profile.");
        }
        String routes = routesDir != null ? explicitRoutes(routesDir)
                : Files.isDirectory(workingDir.resolve("routes")) ? "file:" + workingDir.resolve("routes").toAbsolutePath().normalize()
                        : "classpath:" + BUNDLED_ROUTES;
        return new AppLocations(files, routes + "/*.yaml", cleanProfile);
    }

    /** A folder's application.properties and profile file, those that exist, once. */
    private static void addFolder(List<String> files, String folder, String profile) {
        addIfPresent(files, folder + "/application.properties");
        if (profile != null) {
            addIfPresent(files, folder + "/application-" + profile + ".properties");
        }
    }

    private static void addOption(List<String> files, Path configOption, String profile) {
        Path absolute = configOption.toAbsolutePath().normalize();
        if (Files.isRegularFile(absolute)) {
            addIfPresent(files, "file:" + absolute);
            return;
        }
        if (!Files.isDirectory(absolute)) {
            throw new ConfigurationException("--config " + configOption + ": no such file or folder.");
        }
        if (!Files.isRegularFile(absolute.resolve("application.properties"))) {
            throw new ConfigurationException("--config " + configOption + ": the folder has no application.properties.");
        }
        addFolder(files, "file:" + absolute, profile);
    }

    private static void addIfPresent(List<String> files, String location) {
        if (!files.contains(location) && exists(location)) {
            files.add(location);
        }
    }

    private static String explicitRoutes(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new ConfigurationException("--routes " + dir + ": no such folder.");
        }
        return "file:" + absolute;
    }

    /** The configuration files in use, lowest layer first ({@code classpath:} or {@code file:} locations). */
    public List<String> configFiles() {
        return configFiles;
    }

    /**
     * Comma-separated locations for camel-main. Camel resolves a key from the first location that
     * holds it, so the highest layer comes first.
     */
    public String propertyPlaceholderLocations() {
        List<String> highestFirst = new ArrayList<>(configFiles);
        Collections.reverse(highestFirst);
        return String.join(",", highestFirst);
    }

    public String routesIncludePattern() {
        return routesPattern;
    }

    public String profile() {
        return profile;
    }

    /** The keys of the jar's own application.properties: every setting there is. */
    public static Set<String> bundledKeys() {
        Properties defaults = new Properties();
        try (InputStream in = AppLocations.class.getClassLoader().getResourceAsStream(BUNDLED_CONFIG + "/application.properties")) {
            defaults.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("The jar has no " + BUNDLED_DEFAULTS + ": it is damaged", e);
        }
        return defaults.stringPropertyNames();
    }

    /** A configuration file as a person knows it: the jar's defaults, or its path. */
    public static String describe(String location) {
        // Camel reports a key's location with or without its classpath:/file: prefix
        if (location.startsWith("classpath:" + BUNDLED_CONFIG + "/") || location.startsWith(BUNDLED_CONFIG + "/")) {
            String file = location.substring(location.lastIndexOf('/') + 1);
            return "jar defaults" + (file.equals("application.properties") ? "" : " (" + file + ")");
        }
        return location.startsWith("file:") ? location.substring("file:".length()) : location;
    }

    @Override
    public String toString() {
        return "configuration " + configFiles.stream().map(AppLocations::describe).toList() + ", routes " + routesPattern
                + (profile == null ? "" : ", profile " + profile);
    }

    private static boolean exists(String location) {
        if (location.startsWith("file:")) {
            return Files.isRegularFile(Path.of(location.substring("file:".length())));
        }
        return AppLocations.class.getClassLoader().getResource(location.substring("classpath:".length())) != null;
    }
}
