package org.dataversebackup.auth;

import java.util.Objects;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.dataversebackup.dataverse.AccessTokens;

/**
 * The Camel processor behind the bean {@code #dataverseToken}: sets {@code Authorization: Bearer <token>}
 * on the message, so that the next {@code https://} call (camel-http, or our Dataverse client) is
 * authenticated as the connection account. Usable in any route, ours or an ESB team's:
 *
 * <pre>
 * - process:
 *     ref: dataverseToken
 * - to: "https://contoso.crm.dynamics.com/api/data/v9.2/WhoAmI"
 * </pre>
 *
 * After a 401, call {@link #renewAfterRejection(Exchange)} (YAML: {@code bean: {ref: dataverseToken,
 * method: renewAfterRejection}}) and replay the call once: the token is renewed once however many
 * exchanges were rejected with it.
 */
public class DataverseTokenProcessor implements Processor {
    public static final String BEAN_NAME = "dataverseToken";
    public static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer ";

    private final AccessTokens tokens;

    public DataverseTokenProcessor(AccessTokens tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /** Sets {@code Authorization: Bearer <current token>}. */
    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setHeader(AUTHORIZATION, BEARER + tokens.current());
    }

    /**
     * The request sent with the message's {@code Authorization} header was answered 401: sets a
     * renewed token (renewed once for all callers rejected with the same token).
     */
    public void renewAfterRejection(Exchange exchange) {
        Message message = exchange.getMessage();
        String header = message.getHeader(AUTHORIZATION, String.class);
        String rejected = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : null;
        message.setHeader(AUTHORIZATION, BEARER + tokens.renewAfterRejection(rejected));
    }

    /** The token source (for beans that call Dataverse themselves). */
    public AccessTokens tokens() {
        return tokens;
    }

    @Override
    public String toString() {
        return "DataverseTokenProcessor";
    }
}
