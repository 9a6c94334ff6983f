package org.dataversebackup.backup;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that read tables in parallel (the backup route's split uses it). Its size is set
 * when a backup is planned, because the default comes from the {@code x-ms-dop-hint} Dataverse
 * returns at that moment.
 */
public class TablePool extends ThreadPoolExecutor {
    public TablePool(String name) {
        super(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads(name));
        allowCoreThreadTimeOut(true);
    }

    public synchronized void resize(int threads) {
        if (threads > getMaximumPoolSize()) {
            setMaximumPoolSize(threads);
            setCorePoolSize(threads);
        } else {
            setCorePoolSize(threads);
            setMaximumPoolSize(threads);
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
