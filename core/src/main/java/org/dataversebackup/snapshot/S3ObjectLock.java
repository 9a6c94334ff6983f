package org.dataversebackup.snapshot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import org.dataversebackup.config.ConfigurationException;
import org.dataversebackup.config.Settings;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * S3 Object Lock on every object a backup writes ({@code s3.object-lock-mode} and
 * {@code s3.object-lock-days}): a retention period during which no one, not even a stolen key of
 * the backup account (COMPLIANCE), can delete or overwrite a snapshot. The bucket must have been
 * created with Object Lock enabled (which turns versioning on); see the README.
 *
 * <p>The lock is set on each upload's request ({@code PutObject} and the
 * {@code CreateMultipartUpload} of a multipart upload), by an AWS SDK interceptor on our S3
 * client, so camel-aws2-s3 writes locked objects without knowing about it. S3 refuses a locked
 * upload without a checksum, so {@code PutObject} and {@code UploadPart} ask the SDK for a CRC32
 * even where {@code s3.flexible-checksums=false} turned the SDK's own checksums off.
 */
public record S3ObjectLock(ObjectLockMode mode, Duration period) {
    public static final String MODE_KEY = "s3.object-lock-mode";
    public static final String DAYS_KEY = "s3.object-lock-days";

    /** From {@code s3.object-lock-mode} and {@code s3.object-lock-days}; empty when neither is set. */
    public static Optional<S3ObjectLock> from(Settings settings) {
        Optional<String> mode = settings.optional(MODE_KEY).filter(v -> !v.isBlank());
        Optional<String> days = settings.optional(DAYS_KEY).filter(v -> !v.isBlank());
        if (mode.isEmpty() && days.isEmpty()) {
            return Optional.empty();
        }
        if (mode.isEmpty() || days.isEmpty()) {
            throw new ConfigurationException("Set both " + MODE_KEY + " (GOVERNANCE or COMPLIANCE) and " + DAYS_KEY
                    + " (how long each object stays locked), or neither.");
        }
        ObjectLockMode lockMode = ObjectLockMode.fromValue(mode.get().trim().toUpperCase(Locale.ROOT));
        if (lockMode != ObjectLockMode.GOVERNANCE && lockMode != ObjectLockMode.COMPLIANCE) {
            throw new ConfigurationException(MODE_KEY + " must be GOVERNANCE or COMPLIANCE, not '" + mode.get() + "'.");
        }
        int count = settings.intValue(DAYS_KEY, 0);
        if (count < 1) {
            throw new ConfigurationException(DAYS_KEY + " must be at least 1 (days each object stays locked).");
        }
        return Optional.of(new S3ObjectLock(lockMode, Duration.ofDays(count)));
    }

    /** Until when an object written at {@code written} is locked. */
    public Instant lockedUntil(Instant written) {
        return written.plus(period);
    }

    /** The interceptor that locks every upload of the client it is added to. */
    public ExecutionInterceptor onUploads(Clock clock) {
        return new ExecutionInterceptor() {
            @Override
            public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                SdkRequest request = context.request();
                Instant until = lockedUntil(clock.instant());
                if (request instanceof PutObjectRequest put) {
                    return put.toBuilder().objectLockMode(mode).objectLockRetainUntilDate(until)
                            .checksumAlgorithm(put.checksumAlgorithm() != null ? put.checksumAlgorithm() : ChecksumAlgorithm.CRC32).build();
                }
                if (request instanceof UploadPartRequest part && part.checksumAlgorithm() == null) {
                    return part.toBuilder().checksumAlgorithm(ChecksumAlgorithm.CRC32).build();
                }
                if (request instanceof CreateMultipartUploadRequest create) {
                    return create.toBuilder().objectLockMode(mode).objectLockRetainUntilDate(until).build();
                }
                return request;
            }
        };
    }
}
