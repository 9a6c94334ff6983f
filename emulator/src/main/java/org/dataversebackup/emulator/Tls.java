package org.dataversebackup.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates of the emulator: the self-signed TLS certificate (SAN localhost and 127.0.0.1) and
 * the application's client certificate. Key generation costs a noticeable fraction of a second, so
 * both are made once per JVM; the files (trust store, PKCS#12, PEM) are written per emulator.
 * BouncyCastle only builds the certificate; signing uses the JDK's own providers.
 */
final class Tls {
    static final String STORE_PASSWORD = "emulator";

    private static volatile Material tls;
    private static volatile Material appCertificate;

    private Tls() {
    }

    /** A key pair with its self-signed certificate. */
    record Material(KeyPair keyPair, X509Certificate certificate) {
        String sha1Thumbprint() {
            return thumbprint("SHA-1");
        }

        String sha256Thumbprint() {
            return thumbprint("SHA-256");
        }

        private String thumbprint(String algorithm) {
            try {
                return Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(MessageDigest.getInstance(algorithm).digest(certificate.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Material tlsMaterial() {
        Material m = tls;
        if (m == null) {
            synchronized (Tls.class) {
                if (tls == null) {
                    tls = create("CN=localhost, O=dataverse-backup emulator", true);
                }
                m = tls;
            }
        }
        return m;
    }

    static Material appCertificateMaterial() {
        Material m = appCertificate;
        if (m == null) {
            synchronized (Tls.class) {
                if (appCertificate == null) {
                    appCertificate = create("CN=" + EmulatorIdentities.APP_NAME, false);
                }
                m = appCertificate;
            }
        }
        return m;
    }

    private static Material create(String subject, boolean server) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keyPair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name(subject);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))),
                    name, keyPair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (server) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            // no provider given: the JDK's SunRsaSign signs, no BouncyCastle provider is registered
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new Material(keyPair, certificate);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create the emulator certificate: " + e.getMessage(), e);
        }
    }

    /** The server side TLS context (key store with the TLS key and certificate). */
    static SSLContext serverContext() {
        try {
            Material m = tlsMaterial();
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("emulator", m.keyPair().getPrivate(), STORE_PASSWORD.toCharArray(),
                    new Certificate[] {m.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot set up TLS for the emulator: " + e.getMessage(), e);
        }
    }

    /** A client TLS context that trusts exactly the emulator's certificate (used by tests and tools). */
    static SSLContext clientContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyStore trustStore() {
        try {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("dataverse-emulator", tlsMaterial().certificate());
            return trustStore;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeTrustStore(Path file) {
        write(file, out -> trustStore().store(out, STORE_PASSWORD.toCharArray()));
    }

    static void writePkcs12(Path file, Material material, String alias, String password) {
        write(file, out -> {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(alias, material.keyPair().getPrivate(), password.toCharArray(),
                    new Certificate[] {material.certificate()});
            keyStore.store(out, password.toCharArray());
        });
    }

    static String certificatePem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String privateKeyPem(KeyPair keyPair) {
        return pem("PRIVATE KEY", keyPair.getPrivate().getEncoded());
    }

    static void writeText(Path file, String text) {
        write(file, out -> out.write(text.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private interface Writer {
        void write(OutputStream out) throws Exception;
    }

    private static void write(Path file, Writer writer) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
