package org.dataversebackup.app;

import org.dataversebackup.auth.LogMasking;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** Logback {@code %maskedEx}: stack traces with secrets and tokens masked (see {@link LogMasking}). */
public class MaskingThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return LogMasking.mask(super.throwableProxyToString(tp));
    }
}
