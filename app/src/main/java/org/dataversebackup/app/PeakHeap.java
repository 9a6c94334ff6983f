package org.dataversebackup.app;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The largest heap still in use right after a garbage collection, since {@link #watch()}: what the
 * process really needed to keep (the heap in use between collections also holds garbage).
 */
public final class PeakHeap {
    private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();

    private PeakHeap() {
    }

    /** Starts listening to the collectors' notifications. */
    public static void watch() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                                .from((CompositeData) notification.getUserData());
                        long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                .mapToLong(MemoryUsage::getUsed).sum() - nonHeap(info);
                        PEAK_AFTER_GC.accumulateAndGet(used, Math::max);
                    }
                }, null, null);
            }
        }
    }

    /** Bytes of heap in use after the fullest collection so far (0 before the first one). */
    public static long afterGcBytes() {
        return PEAK_AFTER_GC.get();
    }

    private static long nonHeap(GarbageCollectionNotificationInfo info) {
        long nonHeap = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != java.lang.management.MemoryType.HEAP) {
                MemoryUsage usage = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                nonHeap += usage == null ? 0 : usage.getUsed();
            }
        }
        return nonHeap;
    }
}
