package org.dataversebackup.auth;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The safety net behind "never log a secret or a token": the secrets of the configuration and the
 * tokens issued are registered here, and {@link MaskingMessageConverter} / {@link MaskingThrowableConverter}
 * (see logback.xml) replace them, and anything shaped like a token, a bearer header or a secret
 * field, by {@code ****} in every log line. Our code never logs them in the first place; this
 * catches third-party libraries and exception messages.
 */
public final class LogMasking {
    static final String MASK = "****";
    /** Shorter values are not registered: masking them would garble ordinary words. */
    private static final int MIN_LENGTH = 6;
    /** Tokens are registered as they are issued; only the most recent ones are kept. */
    private static final int MAX_TOKENS = 32;

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static final Deque<String> TOKENS = new ArrayDeque<>();

    private static final Pattern JWT = Pattern.compile(
            "eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern FORM_FIELD = Pattern.compile(
            "(?i)\\b(client_secret|password|refresh_token|access_token|id_token|client_assertion|assertion|device_code)"
                    + "=([^&\\s\"']+)");
    private static final Pattern JSON_FIELD = Pattern.compile(
            "(?i)(\"(?:client_secret|password|refresh_token|access_token|id_token|client_assertion|secret|device_code)\""
                    + "\\s*:\\s*\")([^\"]*)(\")");

    private LogMasking() {
    }

    /** Registers a secret from the configuration (client secret, password, certificate password). */
    public static void registerSecret(String secret) {
        if (secret != null && secret.length() >= MIN_LENGTH) {
            SECRETS.add(secret);
        }
    }

    /** Registers an issued token (access or refresh token). */
    static void registerToken(String token) {
        if (token == null || token.length() < MIN_LENGTH) {
            return;
        }
        synchronized (TOKENS) {
            if (TOKENS.contains(token)) {
                return;
            }
            TOKENS.addFirst(token);
            while (TOKENS.size() > MAX_TOKENS) {
                TOKENS.removeLast();
            }
        }
    }

    /** The text with registered secrets and token-shaped values replaced by {@code ****}. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : SECRETS) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        String[] tokens;
        synchronized (TOKENS) {
            tokens = TOKENS.toArray(new String[0]);
        }
        for (String token : tokens) {
            if (masked.contains(token)) {
                masked = masked.replace(token, MASK);
            }
        }
        masked = JWT.matcher(masked).replaceAll(MASK);
        masked = BEARER.matcher(masked).replaceAll("$1" + MASK);
        masked = FORM_FIELD.matcher(masked).replaceAll("$1=" + MASK);
        masked = JSON_FIELD.matcher(masked).replaceAll("$1" + MASK + "$3");
        return masked;
    }
}
