package org.dataversebackup.snapshot;

import java.net.URI;
import java.util.Optional;

import org.dataversebackup.config.ConfigurationException;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The one S3 client of the application (camel-aws2-s3 endpoints use it as {@code #s3Client}):
 * region, optional endpoint override and path-style access for S3-compatible stores, static keys
 * or the AWS default credential chain, and the checksum mode.
 */
public final class S3ClientFactory {
    private S3ClientFactory() {
    }

    /**
     * @param flexibleChecksums false for S3-compatible stores that reject the AWS SDK's default
     *                          CRC checksums sent in aws-chunked trailers (MinIO, Ceph, s3proxy):
     *                          checksums are then only sent where the S3 API requires them
     */
    public static S3Client create(String region, Optional<String> endpoint, boolean pathStyle,
            Optional<String> accessKey, Optional<String> secretKey, boolean flexibleChecksums) {
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new ConfigurationException("Set both s3.access-key and s3.secret-key, or neither (the AWS default credential chain).");
        }
        AwsCredentialsProvider credentials = accessKey.isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey.get(), secretKey.get()))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(pathStyle);
        endpoint.ifPresent(e -> {
            try {
                builder.endpointOverride(URI.create(e));
            } catch (IllegalArgumentException bad) {
                throw new ConfigurationException("s3.endpoint '" + e + "' is not a URL.");
            }
        });
        if (!flexibleChecksums) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }
}
