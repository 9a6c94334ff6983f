package org.dataversebackup.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Collections;
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
import org.dataversebackup.app.ConfigurationException;

/**
 * Loads the application's certificate credential ({@code certificate} mode): a PKCS#12 file
 * ({@code .pfx}/{@code .p12}), or PEM: the private key (PKCS#8, PKCS#1 "RSA PRIVATE KEY", either
 * optionally encrypted with {@code auth.certificate-password}) and the certificate, in one file or
 * with the key in {@code auth.certificate-key-path}. Entra ID client certificates are RSA.
 */
final class ClientCertificates {

    /** The private key and the certificate registered on the application. */
    record Credential(PrivateKey privateKey, X509Certificate certificate) {
        @Override
        public String toString() {
            return "Credential[" + certificate.getSubjectX500Principal() + "]";
        }
    }

    /** BouncyCastle for the OpenSSL key encryptions the JDK lacks; used directly, not installed JVM-wide. */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private ClientCertificates() {
    }

    static Credential load(Path certificatePath, Optional<Path> keyPath, Optional<String> password) {
        byte[] content = read(certificatePath, AuthSettings.CERTIFICATE_PATH);
        Credential credential = isPem(content)
                ? fromPem(certificatePath, content, keyPath, password)
                : fromPkcs12(certificatePath, content, password);
        if (!(credential.privateKey() instanceof RSAKey)) {
            throw new ConfigurationException("The key of '" + AuthSettings.CERTIFICATE_PATH + "' (" + certificatePath
                    + ") is " + credential.privateKey().getAlgorithm() + ": Entra ID client certificates must have an"
                    + " RSA key.");
        }
        try {
            credential.certificate().checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new ConfigurationException("The certificate of '" + AuthSettings.CERTIFICATE_PATH + "' ("
                    + certificatePath + ") is not valid now (valid from " + credential.certificate().getNotBefore()
                    + " to " + credential.certificate().getNotAfter() + "): create a new one, upload it to the app"
                    + " registration and configure it here.");
        }
        return credential;
    }

    private static boolean isPem(byte[] content) {
        String head = new String(content, 0, Math.min(content.length, 4096), StandardCharsets.US_ASCII);
        return head.contains("-----BEGIN ");
    }

    private static Credential fromPkcs12(Path path, byte[] content, Optional<String> password) {
        char[] pwd = password.map(String::toCharArray).orElse(new char[0]);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = new java.io.ByteArrayInputStream(content)) {
                store.load(in, pwd);
            }
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, pwd);
                Certificate certificate = store.getCertificate(alias);
                if (key instanceof PrivateKey privateKey && certificate instanceof X509Certificate x509) {
                    return new Credential(privateKey, x509);
                }
            }
            throw new ConfigurationException("'" + AuthSettings.CERTIFICATE_PATH + "' (" + path + ") holds no private"
                    + " key with its certificate: export the certificate with its private key (.pfx).");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw wrongPassword(path);
            }
            throw new ConfigurationException("'" + AuthSettings.CERTIFICATE_PATH + "' (" + path + ") is neither a"
                    + " PKCS#12 file nor PEM: " + e.getMessage());
        } catch (UnrecoverableKeyException e) {
            throw wrongPassword(path);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException("'" + AuthSettings.CERTIFICATE_PATH + "' (" + path + ") cannot be read as"
                    + " PKCS#12: " + e.getMessage());
        }
    }

    private static Credential fromPem(Path certificatePath, byte[] content, Optional<Path> keyPath,
            Optional<String> password) {
        List<Object> objects = new ArrayList<>(parsePem(certificatePath, content, AuthSettings.CERTIFICATE_PATH));
        if (keyPath.isPresent()) {
            objects.addAll(parsePem(keyPath.get(), read(keyPath.get(), AuthSettings.CERTIFICATE_KEY_PATH),
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
        return new Credential(key, matching);
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
            throw wrongPassword(path);
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

    private static byte[] read(Path path, String key) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ConfigurationException("'" + key + "' names " + path + ", which is not a readable file.");
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ConfigurationException("'" + key + "' (" + path + ") cannot be read: " + e.getMessage());
        }
    }

    private static ConfigurationException wrongPassword(Path path) {
        return new ConfigurationException("'" + AuthSettings.CERTIFICATE_PASSWORD + "' does not open " + path
                + ": set the password the key was exported with.");
    }
}
