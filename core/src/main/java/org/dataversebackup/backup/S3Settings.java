package org.dataversebackup.backup;

import java.util.Optional;

import org.apache.camel.ExchangeProperty;
import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.snapshot.SnapshotTarget;

/**
 * The camel-aws2-s3 endpoint a snapshot is written to: its bucket, our S3 client bean, multipart
 * upload for parts over {@code s3.part-size}, and the server-side encryption chosen with
 * {@code s3.sse} ({@code AES256}, or {@code aws:kms} with {@code s3.sse-kms-key-id}).
 *
 * <p>The bucket goes in the endpoint itself, not in an override header: camel-aws2-s3's multipart
 * upload uses the endpoint's bucket.
 */
public class S3Settings {
    private final String options;

    public S3Settings(String clientBean, long partSize, Optional<String> sse, Optional<String> kmsKeyId) {
        StringBuilder uri = new StringBuilder("amazonS3Client=#").append(clientBean)
                .append("&multiPartUpload=true&partSize=").append(partSize);
        if (sse.isPresent()) {
            switch (sse.get()) {
                case "AES256" -> uri.append("&useSSES3=true");
                case "aws:kms" -> uri.append("&useAwsKMS=true&awsKMSKeyId=").append(kmsKeyId.orElseThrow(
                        () -> new ConfigurationException("s3.sse is aws:kms: set s3.sse-kms-key-id to the KMS key id or ARN.")));
                default -> throw new ConfigurationException("s3.sse must be AES256 or aws:kms, not '" + sse.get() + "'.");
            }
        }
        if (partSize < 5L * 1024 * 1024) {
            throw new ConfigurationException("s3.part-size must be at least 5 MiB (5242880), the S3 minimum.");
        }
        this.options = uri.toString();
    }

    /** The endpoint URI of the snapshot's bucket. */
    public String uri(@ExchangeProperty(SnapshotRun.PROPERTY) SnapshotRun run) {
        SnapshotTarget.S3 s3 = (SnapshotTarget.S3) run.target();
        return "aws2-s3:" + s3.bucket() + "?" + options;
    }
}
