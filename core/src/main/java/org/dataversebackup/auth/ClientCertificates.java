package org.dataversebackup.auth;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Collections;
import java.util.Optional;

import org.dataversebackup.config.ConfigurationException;

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

    private ClientCertificates() {
    }

    static Credential load(Path certificatePath, Optional<Path> keyPath, Optional<String> password) {
        byte[] content = read(certificatePath, AuthSettings.CERTIFICATE_PATH);
        Credential credential = isPem(content)
                ? pem(certificatePath, content, keyPath, password)
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

    /**
     * PEM needs BouncyCastle, an optional dependency of the library: an application that signs in
     * with PEM files adds {@code org.bouncycastle:bcpkix-jdk18on} (the command line has it).
     */
    private static Credential pem(Path certificatePath, byte[] content, Optional<Path> keyPath, Optional<String> password) {
        try {
            Class.forName("org.bouncycastle.openssl.PEMParser", false, ClientCertificates.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigurationException("'" + AuthSettings.CERTIFICATE_PATH + "' (" + certificatePath + ") is PEM,"
                    + " which needs BouncyCastle (org.bouncycastle:bcpkix-jdk18on) on the classpath: add it, or use a"
                    + " PKCS#12 (.pfx) file.");
        }
        return PemCertificates.load(certificatePath, content, keyPath, password);
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






    static byte[] read(Path path, String key) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ConfigurationException("'" + key + "' names " + path + ", which is not a readable file.");
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ConfigurationException("'" + key + "' (" + path + ") cannot be read: " + e.getMessage());
        }
    }

    static ConfigurationException wrongPassword(Path path) {
        return new ConfigurationException("'" + AuthSettings.CERTIFICATE_PASSWORD + "' does not open " + path
                + ": set the password the key was exported with.");
    }
}
