package org.dataversebackup.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;

import org.dataversebackup.config.ConfigurationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCertificatesTest {
    private static TestCertificates client;

    @TempDir
    Path folder;

    @BeforeAll
    static void createCertificate() throws Exception {
        client = TestCertificates.rsa("dataverse-backup test");
    }

    private void assertLoaded(ClientCertificates.Credential credential) {
        assertThat(credential.certificate()).isEqualTo(client.certificate);
        assertThat(credential.privateKey().getEncoded()).isEqualTo(client.privateKey().getEncoded());
        assertThat(credential.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void pkcs12WithPassword() throws Exception {
        Path file = client.writePkcs12(folder.resolve("client.pfx"), "pfx-password");
        assertLoaded(ClientCertificates.load(file, Optional.empty(), Optional.of("pfx-password")));
    }

    @Test
    void pkcs12WithAWrongPasswordNamesThePasswordKey() throws Exception {
        Path file = client.writePkcs12(folder.resolve("client.pfx"), "pfx-password");
        assertThatThrownBy(() -> ClientCertificates.load(file, Optional.empty(), Optional.of("wrong")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'auth.certificate-password'")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void pemWithKeyAndCertificateInOneFile() throws Exception {
        Path file = TestCertificates.write(folder.resolve("client.pem"), client.pemKeyAndCertificate());
        assertLoaded(ClientCertificates.load(file, Optional.empty(), Optional.empty()));
    }

    @Test
    void pemWithTheCertificateFirstAndAnotherCertificateInTheChain() throws Exception {
        TestCertificates other = TestCertificates.rsa("issuer");
        Path file = TestCertificates.write(folder.resolve("client.pem"),
                other.certificatePem() + client.certificatePem() + client.encryptedPkcs8Pem("pem-pass"));
        assertLoaded(ClientCertificates.load(file, Optional.empty(), Optional.of("pem-pass")));
    }

    @Test
    void pemWithTheKeyInItsOwnEncryptedTraditionalFile() throws Exception {
        Path cert = TestCertificates.write(folder.resolve("client.crt"), client.certificatePem());
        Path key = TestCertificates.write(folder.resolve("client.key"), client.encryptedTraditionalPem("key-pass"));
        assertLoaded(ClientCertificates.load(cert, Optional.of(key), Optional.of("key-pass")));
        assertThatThrownBy(() -> ClientCertificates.load(cert, Optional.of(key), Optional.empty()))
                .hasMessageContaining("encrypted").hasMessageContaining("'auth.certificate-password'");
        assertThatThrownBy(() -> ClientCertificates.load(cert, Optional.of(key), Optional.of("nope")))
                .hasMessageContaining("'auth.certificate-password'");
    }

    @Test
    void pemProblemsNameTheKeyToFix() throws Exception {
        Path certOnly = TestCertificates.write(folder.resolve("cert.pem"), client.certificatePem());
        assertThatThrownBy(() -> ClientCertificates.load(certOnly, Optional.empty(), Optional.empty()))
                .hasMessageContaining("No private key").hasMessageContaining("'auth.certificate-key-path'");
        TestCertificates other = TestCertificates.rsa("other");
        Path mismatch = TestCertificates.write(folder.resolve("mismatch.pem"),
                other.certificatePem() + TestCertificatesKeyOnly.keyPem(client));
        assertThatThrownBy(() -> ClientCertificates.load(mismatch, Optional.empty(), Optional.empty()))
                .hasMessageContaining("belongs to the private key");
        assertThatThrownBy(() -> ClientCertificates.load(folder.resolve("missing.pem"), Optional.empty(), Optional.empty()))
                .hasMessageContaining("'auth.certificate-path'").hasMessageContaining("missing.pem");
    }

    @Test
    void anExpiredCertificateOrAnEcKeyIsRejectedUpFront() throws Exception {
        TestCertificates expired = TestCertificates.expiredRsa("old");
        Path file = TestCertificates.write(folder.resolve("old.pem"), expired.pemKeyAndCertificate());
        assertThatThrownBy(() -> ClientCertificates.load(file, Optional.empty(), Optional.empty()))
                .hasMessageContaining("not valid now");
        TestCertificates ec = TestCertificates.ec("ec");
        Path ecFile = TestCertificates.write(folder.resolve("ec.pem"), ec.pemKeyAndCertificate());
        assertThatThrownBy(() -> ClientCertificates.load(ecFile, Optional.empty(), Optional.empty()))
                .hasMessageContaining("RSA");
    }

    /** Only the key part of a PEM. */
    static final class TestCertificatesKeyOnly {
        static String keyPem(TestCertificates certificates) throws Exception {
            String both = certificates.pemKeyAndCertificate();
            return both.substring(0, both.indexOf("-----BEGIN CERTIFICATE-----"));
        }
    }
}
