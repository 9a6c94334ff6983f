package org.dataversebackup.auth;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.dataversebackup.config.ConfigurationException;

/**
 * The PEM side of {@link ClientCertificates}: the private key (PKCS#8, PKCS#1 "RSA PRIVATE KEY",
 * either optionally encrypted) and the certificate, read with BouncyCastle. Only loaded when a PEM
 * file is configured, so BouncyCastle stays an optional dependency of the library.
 */
final class PemCertificates {
    /** BouncyCastle for the OpenSSL key encryptions the JDK lacks; used directly, not installed JVM-wide. */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private PemCertificates() {
    }

    static ClientCertificates.Credential load(Path certificatePath, byte[] content, Optional<Path> keyPath,
            Optional<String> password) {
        List<Object> objects = new ArrayList<>(parsePem(certificatePath, content, AuthSettings.CERTIFICATE_PATH));
        if (keyPath.isPresent()) {
            objects.addAll(parsePem(keyPath.get(), ClientCertificates.read(keyPath.get(), AuthSettings.CERTIFICATE_KEY_PATH),
                    AuthSettings.CERTIFICATE_KEY_PATH));
        }
        PrivateKey key = null;
        List<X509Certificate> certificates = new ArrayList<>();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try {
            for (Object o : objects) {
                if (o instanceof X509CertificateHolder holder) {
                    certificates.add(certs.getCertificate(holder));
                } else if (key == null) {
                    key = privateKey(o, keys, password, certificatePath);
                }
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigurationException("The PEM of '" + AuthSettings.CERTIFICATE_PATH + "' (" + certificatePath
                    + ") cannot be used: " + e.getMessage());
        }
        String keyKey = keyPath.isPresent() ? AuthSettings.CERTIFICATE_KEY_PATH : AuthSettings.CERTIFICATE_PATH;
        if (key == null) {
            throw new ConfigurationException("No private key found in '" + keyKey + "' (" + keyPath.orElse(certificatePath)
                    + "): put the key (BEGIN PRIVATE KEY) in the PEM file, or give its file in '"
                    + AuthSettings.CERTIFICATE_KEY_PATH + "'.");
        }
        if (certificates.isEmpty()) {
            throw new ConfigurationException("No certificate (BEGIN CERTIFICATE) found in '"
                    + AuthSettings.CERTIFICATE_PATH + "' (" + certificatePath + ").");
        }
        X509Certificate matching = matching(key, certificates);
        if (matching == null) {
            throw new ConfigurationException("None of the certificates in '" + AuthSettings.CERTIFICATE_PATH + "' ("
                    + certificatePath + ") belongs to the private key of '" + keyKey + "'.");
        }
        return new ClientCertificates.Credential(key, matching);
    }

    private static PrivateKey privateKey(Object o, JcaPEMKeyConverter keys, Optional<String> password, Path path)
            throws IOException {
        try {
            if (o instanceof PEMKeyPair pair) {
                return keys.getKeyPair(pair).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return keys.getPrivateKey(info);
            }
            if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                char[] pwd = requirePassword(password, path);
                return keys.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(pwd)));
            }
            if (o instanceof PEMEncryptedKeyPair encrypted) {
                char[] pwd = requirePassword(password, path);
                return keys.getKeyPair(encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BC).build(pwd)))
                        .getPrivate();
            }
        } catch (PKCSException | OperatorCreationException | org.bouncycastle.openssl.EncryptionException e) {
            throw ClientCertificates.wrongPassword(path);
        }
        return null;
    }

    private static char[] requirePassword(Optional<String> password, Path path) {
        return password.map(String::toCharArray).orElseThrow(() -> new ConfigurationException("The private key in "
                + path + " is encrypted: set '" + AuthSettings.CERTIFICATE_PASSWORD + "'."));
    }

    private static X509Certificate matching(PrivateKey key, List<X509Certificate> certificates) {
        if (!(key instanceof RSAKey rsaKey)) {
            return certificates.get(0);
        }
        BigInteger modulus = rsaKey.getModulus();
        return certificates.stream()
                .filter(c -> c.getPublicKey() instanceof RSAKey pub && pub.getModulus().equals(modulus))
                .findFirst().orElse(null);
    }

    private static List<Object> parsePem(Path path, byte[] content, String key) {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = new java.io.InputStreamReader(new java.io.ByteArrayInputStream(content),
                StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (IOException e) {
            throw new ConfigurationException("'" + key + "' (" + path + ") is not valid PEM: " + e.getMessage());
        }
        return objects;
    }
}
