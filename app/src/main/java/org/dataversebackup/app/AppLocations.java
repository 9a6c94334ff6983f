package org.dataversebackup.app;

import org.dataversebackup.config.ConfigurationException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the configuration and the routes come from: a folder given on the command line, else
 * {@code config/} and {@code routes/} in the working directory, else the copies bundled in the jar
 * (so {@code java -jar} works from any folder).
 *
 * <p>Camel main only adds {@code application-<profile>.properties} by itself for its default
 * location; as we always set explicit locations, the profile file is added here.
 */
public final class AppLocations {
    static final String BUNDLED_CONFIG = "bundled/config";
    static final String BUNDLED_ROUTES = "bundled/routes";

    private final String configBase;
    private final String routesPattern;
    private final String profile;
    private final String description;

    private AppLocations(String configBase, String routesPattern, String profile, String description) {
        this.configBase = configBase;
        this.routesPattern = routesPattern;
        this.profile = profile;
        this.description = description;
    }

    /**
     * @param configDir  the {@code --config} option, or null
     * @param routesDir  the {@code --routes} option, or null
     * @param profile    the {@code --profile} option, or null
     * @param workingDir where relative defaults are looked up
     */
    public static AppLocations resolve(Path configDir, Path routesDir, String profile, Path workingDir) {
        String config = configDir != null ? explicitFolder(configDir, "--config", "application.properties")
                : defaultFolder(workingDir.resolve("config"), "application.properties", BUNDLED_CONFIG);
        String routes = routesDir != null ? explicitFolder(routesDir, "--routes", null)
                : defaultFolder(workingDir.resolve("routes"), null, BUNDLED_ROUTES);
        String cleanProfile = profile == null || profile.isBlank() ? null : profile.trim();
        AppLocations locations = new AppLocations(config, routes + "/*.yaml", cleanProfile,
                "configuration " + config + ", routes " + routes);
        if (cleanProfile != null && !locations.exists(locations.profileFile())) {
            throw new ConfigurationException("Profile '" + cleanProfile + "' has no file "
                    + locations.profileFile() + "; create it or choose another --profile.");
        }
        return locations;
    }

    private static String explicitFolder(Path dir, String option, String requiredFile) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new ConfigurationException(option + " " + dir + ": no such folder.");
        }
        if (requiredFile != null && !Files.isRegularFile(absolute.resolve(requiredFile))) {
            throw new ConfigurationException(option + " " + dir + ": the folder has no " + requiredFile + ".");
        }
        return "file:" + absolute;
    }

    private static String defaultFolder(Path candidate, String requiredFile, String bundled) {
        boolean usable = Files.isDirectory(candidate)
                && (requiredFile == null || Files.isRegularFile(candidate.resolve(requiredFile)));
        return usable ? "file:" + candidate.toAbsolutePath().normalize() : "classpath:" + bundled;
    }

    /**
     * Comma-separated locations for camel-main. Camel resolves a key from the first location that
     * holds it, so the profile file comes first and wins over application.properties.
     */
    public String propertyPlaceholderLocations() {
        List<String> locations = new ArrayList<>();
        if (profile != null) {
            locations.add(profileFile());
        }
        locations.add(configBase + "/application.properties");
        return String.join(",", locations);
    }

    public String routesIncludePattern() {
        return routesPattern;
    }

    public String profile() {
        return profile;
    }

    @Override
    public String toString() {
        return description + (profile == null ? "" : ", profile " + profile);
    }

    private String profileFile() {
        return configBase + "/application-" + profile + ".properties";
    }

    private boolean exists(String location) {
        if (location.startsWith("file:")) {
            return Files.isRegularFile(Path.of(location.substring("file:".length())));
        }
        return AppLocations.class.getClassLoader().getResource(location.substring("classpath:".length())) != null;
    }
}
