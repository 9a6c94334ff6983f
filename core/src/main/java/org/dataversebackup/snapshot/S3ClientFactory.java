package org.dataversebackup.snapshot;

import java.net.URI;
import java.time.Clock;
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
 * or the AWS default credential chain, the checksum mode, and S3 Object Lock on uploads.
 */
public final class S3ClientFactory {
    private S3ClientFactory() {
    }

    /**
     * @param flexibleChecksums false for S3-compatible stores that reject the AWS SDK's default
     *                          CRC checksums sent in aws-chunked trailers (MinIO, Ceph, s3proxy):
     *                          checksums are then only sent where the S3 API requires them
     * @param objectLock        locks every object written (and gives every upload a CRC32 checksum,
     *                          which S3 requires of a locked object, whatever {@code flexibleChecksums} says)
     */
    public static S3Client create(String region, Optional<String> endpoint, boolean pathStyle,
            Optional<String> accessKey, Optional<String> secretKey, boolean flexibleChecksums, Optional<S3ObjectLock> objectLock) {
        return builder(region, endpoint, pathStyle, accessKey, secretKey, flexibleChecksums, objectLock).build();
    }

    /** The builder of {@link #create}, for callers that add to its configuration (tests). */
    public static S3ClientBuilder builder(String region, Optional<String> endpoint, boolean pathStyle,
            Optional<String> accessKey, Optional<String> secretKey, boolean flexibleChecksums, Optional<S3ObjectLock> objectLock) {
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
        objectLock.ifPresent(lock -> builder.overrideConfiguration(c -> c.addExecutionInterceptor(lock.onUploads(Clock.systemUTC()))));
        return builder;
    }
}
