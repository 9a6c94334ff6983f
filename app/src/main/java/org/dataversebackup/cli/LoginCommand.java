package org.dataversebackup.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.dataversebackup.app.CamelApplication;
import org.dataversebackup.app.AppLocations;
import org.dataversebackup.cli.ExitCodes;
import org.dataversebackup.config.Settings;
import org.dataversebackup.auth.AuthMode;
import org.dataversebackup.auth.AuthSettings;
import org.dataversebackup.auth.AuthenticationException;
import org.dataversebackup.auth.DataverseTokenProvider;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Signs the connection account in once: in {@code device-code} mode shows the verification URL and
 * code and saves the sign-in in the token cache, so that later (scheduled) runs refresh silently.
 * In the other modes it requests a token, which checks the credentials and the tenant's consent.
 * Starts no routes.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Sign the connection account in once.",
                "device-code mode: open the URL shown and enter the code; the sign-in is saved in auth.token-cache for"
                        + " later runs. Other modes: checks the credentials by requesting a token."},
        footerHeading = "%nExamples:%n",
        footer = {"  java -Dauth.mode=device-code -jar dataverse-backup.jar login",
                "  java -jar dataverse-backup.jar login --force"})
class LoginCommand extends ApplicationCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")
            .withZone(ZoneId.systemDefault());

    @Option(names = "--force", description = "device-code mode: sign in again even if a saved sign-in is valid.")
    boolean force;

    @Override
    protected int execute(AppLocations locations) throws Exception {
        AuthSettings settings;
        // only the configuration is needed: no routes start, so no schedule fires
        try (CamelContext context = CamelApplication.configurationOnly(locations, Map.of())) {
            settings = AuthSettings.from(Settings.of(context));
        }
        DataverseTokenProvider provider = DataverseTokenProvider.create(settings);
        try {
            DataverseTokenProvider.SignIn signIn = provider.signIn(force);
            Console.out().println("Signed in to " + signIn.authority() + " as " + signIn.account() + " ("
                    + signIn.mode() + " mode) for " + settings.dataverseUrl() + "; access token valid until "
                    + TIME.format(signIn.tokenExpiresOn()) + ".");
            if (signIn.mode() == AuthMode.DEVICE_CODE) {
                Console.out().println("The sign-in is saved in " + signIn.tokenCache().orElseThrow()
                        + " (owner-only): later runs refresh it silently.");
            }
            return ExitCodes.SUCCESS;
        } catch (AuthenticationException e) {
            Console.error(e.getMessage(), null);
            return ExitCodes.of(e);
        }
    }
}
