package org.dataversebackup.emulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Compact JWS: encoding with HS256 or RS256, decoding, and signature checks. */
final class Jwt {
    /** JSON everywhere in the emulator: decimals stay BigDecimal (money keeps its scale) and are written plain. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private Jwt() {
    }

    record Parsed(ObjectNode header, ObjectNode payload, String signingInput, byte[] signature) {
    }

    static String hs256(ObjectNode payload, byte[] key) {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", "HS256");
        String input = encode(header) + "." + encode(payload);
        return input + "." + B64.encodeToString(hmac(key, input));
    }

    static String rs256(ObjectNode header, ObjectNode payload, PrivateKey key) {
        header.put("alg", "RS256");
        String input = encode(header) + "." + encode(payload);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a compact JWS; null when it is not one. */
    static Parsed parse(String token) {
        if (token == null) {
            return null;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = JSON.readTree(B64D.decode(parts[0]));
            JsonNode payload = JSON.readTree(B64D.decode(parts[1]));
            if (!(header instanceof ObjectNode) || !(payload instanceof ObjectNode)) {
                return null;
            }
            return new Parsed((ObjectNode) header, (ObjectNode) payload, parts[0] + "." + parts[1], B64D.decode(parts[2]));
        } catch (Exception e) {
            return null;
        }
    }

    static boolean verifyHs256(Parsed jwt, byte[] key) {
        return "HS256".equals(jwt.header().path("alg").asText())
                && MessageDigest.isEqual(hmac(key, jwt.signingInput()), jwt.signature());
    }

    static boolean verifyRsa(Parsed jwt, PublicKey key) {
        String alg = jwt.header().path("alg").asText();
        try {
            Signature signature;
            if ("RS256".equals(alg)) {
                signature = Signature.getInstance("SHA256withRSA");
            } else if ("PS256".equals(alg)) {
                signature = Signature.getInstance("RSASSA-PSS");
                signature.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                return false;
            }
            signature.initVerify(key);
            signature.update(jwt.signingInput().getBytes(StandardCharsets.US_ASCII));
            return signature.verify(jwt.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String base64Url(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    private static String encode(ObjectNode node) {
        try {
            return B64.encodeToString(JSON.writeValueAsBytes(node));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
