package org.dataversebackup.restore;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The writers of a restore (the chunk split of the restore routes runs on it): at most
 * {@code restore.parallelism} chunks are written at once. Its queue is short and, when it is full,
 * the splitting thread waits for room, so the snapshot is read only as fast as chunks are written:
 * memory holds a few chunks, whatever the size of the table.
 * Sized when a restore is planned (the default comes from the {@code x-ms-dop-hint}).
 */
public class RestorePool extends ThreadPoolExecutor {
    public RestorePool(String name) {
        super(1, 1, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(8), threads(name), RestorePool::waitForRoom);
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

    private static void waitForRoom(Runnable task, ThreadPoolExecutor pool) {
        if (pool.isShutdown()) {
            throw new java.util.concurrent.RejectedExecutionException("The restore writers are shut down");
        }
        try {
            pool.getQueue().put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.RejectedExecutionException("Interrupted while waiting for a restore writer", e);
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
