package org.dataversebackup.concurrent;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread pool for a parallel split whose size is only known when a job is planned (the default
 * parallelism comes from the {@code x-ms-dop-hint} Dataverse returns then). Its daemon threads end
 * when idle.
 */
public final class ResizablePool extends ThreadPoolExecutor {

    private ResizablePool(String name, BlockingQueue<Runnable> queue, boolean waitForRoom) {
        super(1, 1, 60, TimeUnit.SECONDS, queue, threads(name), waitForRoom ? ResizablePool::waitForRoom : new AbortPolicy());
        allowCoreThreadTimeOut(true);
    }

    /** Tasks wait in an unbounded queue (a backup's tables: few, and each holds nothing until it runs). */
    public static ResizablePool unbounded(String name) {
        return new ResizablePool(name, new LinkedBlockingQueue<>(), false);
    }

    /**
     * At most {@code queued} tasks wait; beyond that the submitting thread waits for room, so a
     * streaming split is read only as fast as its parts are processed (a restore's chunks).
     */
    public static ResizablePool bounded(String name, int queued) {
        return new ResizablePool(name, new ArrayBlockingQueue<>(queued), true);
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
            throw new RejectedExecutionException("The pool is shut down");
        }
        try {
            pool.getQueue().put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("Interrupted while waiting for room in the pool", e);
        }
    }

    private static java.util.concurrent.ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
