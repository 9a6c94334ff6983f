package org.dataversebackup.auth;

import java.util.Objects;
import java.util.function.Supplier;

import org.dataversebackup.dataverse.AccessTokens;

/**
 * The application's {@link AccessTokens}: the {@link DataverseTokenProvider} is built from the
 * configuration at the first token request, not at start-up, so commands that never call
 * Dataverse (verify, snapshots, emulator) need no {@code auth.*} settings. A configuration error
 * is reported at each use until the configuration is fixed.
 */
public final class LazyAccessTokens implements AccessTokens {
    private final Supplier<? extends AccessTokens> factory;
    private volatile AccessTokens delegate;

    public LazyAccessTokens(Supplier<? extends AccessTokens> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public String current() {
        return delegate().current();
    }

    @Override
    public String renewAfterRejection(String rejected) {
        return delegate().renewAfterRejection(rejected);
    }

    /** The provider, built on first use. */
    public AccessTokens delegate() {
        AccessTokens d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    d = Objects.requireNonNull(factory.get(), "factory result");
                    delegate = d;
                }
            }
        }
        return d;
    }

    @Override
    public String toString() {
        AccessTokens d = delegate;
        return "LazyAccessTokens[" + (d == null ? "not built yet" : d) + "]";
    }
}
