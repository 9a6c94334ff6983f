package org.dataversebackup.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.ITokenCache;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;

class TokenCacheFileTest {
    @TempDir
    Path folder;

    @Test
    void writesOwnerOnlyInANewOwnerOnlyFolderAndReadsBack() throws Exception {
        Path file = folder.resolve("new/cache.json");
        TokenCacheFile cache = new TokenCacheFile(file);
        FakeCache tokenCache = new FakeCache("{\"AccessToken\":{}}");
        cache.afterCacheAccess(context(tokenCache, true));
        assertThat(Files.readString(file)).isEqualTo("{\"AccessToken\":{}}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
        FakeCache other = new FakeCache(null);
        new TokenCacheFile(file).beforeCacheAccess(context(other, false));
        assertThat(other.deserialized.get()).isEqualTo("{\"AccessToken\":{}}");
    }

    @Test
    void unchangedCachesAreNotWritten() {
        Path file = folder.resolve("cache.json");
        new TokenCacheFile(file).afterCacheAccess(context(new FakeCache("{}"), false));
        assertThat(file).doesNotExist();
    }

    @Test
    void aCacheReadableByOthersIsRestricted() throws Exception {
        Path file = Files.writeString(folder.resolve("cache.json"), "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        new TokenCacheFile(file).beforeCacheAccess(context(new FakeCache(null), false));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    private static ITokenCacheAccessContext context(ITokenCache cache, boolean changed) {
        return new ITokenCacheAccessContext() {
            @Override
            public ITokenCache tokenCache() {
                return cache;
            }

            @Override
            public String clientId() {
                return "client";
            }

            @Override
            public IAccount account() {
                return null;
            }

            @Override
            public boolean hasCacheChanged() {
                return changed;
            }
        };
    }

    private static final class FakeCache implements ITokenCache {
        final String serialized;
        final AtomicReference<String> deserialized = new AtomicReference<>();

        FakeCache(String serialized) {
            this.serialized = serialized;
        }

        @Override
        public void deserialize(String data) {
            deserialized.set(data);
        }

        @Override
        public String serialize() {
            return serialized;
        }
    }
}
