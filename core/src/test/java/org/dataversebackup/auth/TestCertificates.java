package org.dataversebackup.auth;

import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;

/** Self-signed client certificates in the formats {@code certificate} mode reads. */
final class TestCertificates {
    final KeyPair keyPair;
    final X509Certificate certificate;

    private TestCertificates(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    static TestCertificates rsa(String subject) throws Exception {
        return create("RSA", 2048, "SHA256withRSA", subject, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)));
    }

    static TestCertificates expiredRsa(String subject) throws Exception {
        return create("RSA", 2048, "SHA256withRSA", subject, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)));
    }

    static TestCertificates ec(String subject) throws Exception {
        return create("EC", 256, "SHA256withECDSA", subject, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)));
    }

    private static TestCertificates create(String algorithm, int size, String signature, String subject, Instant from,
            Instant to) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(size);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + subject);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
                Date.from(from), Date.from(to), name, pair.getPublic());
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
        return new TestCertificates(pair, certificate);
    }

    PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    Path writePkcs12(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", keyPair.getPrivate(), password.toCharArray(), new Certificate[] {certificate});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    /** Unencrypted PKCS#8 key ("BEGIN PRIVATE KEY") followed by the certificate. */
    String pemKeyAndCertificate() throws Exception {
        return pem(new JcaPKCS8Generator(keyPair.getPrivate(), null)) + certificatePem();
    }

    /** Encrypted PKCS#8 key ("BEGIN ENCRYPTED PRIVATE KEY"). */
    String encryptedPkcs8Pem(String password) throws Exception {
        return pem(new JcaPKCS8Generator(keyPair.getPrivate(), new JceOpenSSLPKCS8EncryptorBuilder(
                PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword(password.toCharArray()).build()));
    }

    /** Traditional OpenSSL key ("BEGIN RSA PRIVATE KEY"), encrypted with the password. */
    String encryptedTraditionalPem(String password) throws Exception {
        return pem(new JcaMiscPEMGenerator(keyPair.getPrivate(),
                new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                        .build(password.toCharArray())));
    }

    String certificatePem() throws Exception {
        return pem(new JcaMiscPEMGenerator(certificate));
    }

    private static String pem(org.bouncycastle.util.io.pem.PemObjectGenerator object) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    static Path write(Path file, String text) throws Exception {
        return Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
}
