package org.dataversebackup.restore;

import java.io.File;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The keys of the inbox requests that ran successfully: Camel's file-based idempotent repository
 * (it survives restarts), opened on the first request. Camel initialises the inbox route's
 * processors even when the route does not start (one-shot commands), and the file repository
 * creates its file then; opening it only when a request arrives keeps those commands from writing
 * anything.
 */
final class InboxRepository extends ServiceSupport implements IdempotentRepository {
    private final Supplier<File> file;
    private volatile FileIdempotentRepository delegate;

    InboxRepository(Supplier<File> file) {
        this.file = file;
    }

    private FileIdempotentRepository delegate() {
        FileIdempotentRepository repository = delegate;
        if (repository == null) {
            synchronized (this) {
                repository = delegate;
                if (repository == null) {
                    repository = (FileIdempotentRepository) FileIdempotentRepository.fileIdempotentRepository(file.get(),
                            10_000, 16L * 1024 * 1024);
                    ServiceHelper.startService(repository);
                    delegate = repository;
                }
            }
        }
        return repository;
    }

    @Override
    public boolean add(String key) {
        return delegate().add(key);
    }

    @Override
    public boolean contains(String key) {
        return delegate().contains(key);
    }

    @Override
    public boolean remove(String key) {
        return delegate().remove(key);
    }

    @Override
    public boolean confirm(String key) {
        return delegate().confirm(key);
    }

    @Override
    public void clear() {
        delegate().clear();
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        return add(key);
    }

    @Override
    public boolean contains(Exchange exchange, String key) {
        return contains(key);
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        return remove(key);
    }

    @Override
    public boolean confirm(Exchange exchange, String key) {
        return confirm(key);
    }

    @Override
    protected void doStop() {
        FileIdempotentRepository repository = delegate;
        if (repository != null) {
            ServiceHelper.stopService(repository);
            delegate = null;
        }
    }
}
