package org.dataversebackup.dataverse;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The records of a Web API query, fetched a page at a time (like Camel Salesforce's query-result
 * iterator): a streaming split over it holds at most two pages in memory, whatever the size of the
 * table. Each {@code @odata.nextLink} is followed verbatim with the same {@code Prefer} header.
 *
 * <p>While the records of one page are handed out, the next page is already being fetched (the
 * paging cookie makes pages strictly sequential, so this one-page read-ahead is the only overlap
 * there is). A page is handed out only once it has been received whole, so a page fetched again
 * after a failure never yields its records twice.
 */
public class PagedRecords implements Iterator<byte[]> {
    private final DataverseClient client;
    private final Map<String, String> headers;
    private final Consumer<RecordPage> onPage;
    private final Executor readAhead;
    private String nextUrl;
    private CompletableFuture<RecordPage> pending;
    private Iterator<byte[]> current = Collections.emptyIterator();

    /**
     * @param firstUrl  the query, relative to the API root ({@code accounts}) or absolute
     * @param headers   sent with every page, e.g. {@code Prefer: odata.maxpagesize=5000}
     * @param onPage    told about every page received (progress)
     * @param readAhead runs the fetch of the next page; {@code Runnable::run} reads on demand only
     */
    public PagedRecords(DataverseClient client, String firstUrl, Map<String, String> headers, Consumer<RecordPage> onPage,
            Executor readAhead) {
        this.client = client;
        this.nextUrl = firstUrl;
        this.headers = Map.copyOf(headers);
        this.onPage = onPage;
        this.readAhead = readAhead;
    }

    public PagedRecords(DataverseClient client, String firstUrl, Map<String, String> headers, Consumer<RecordPage> onPage) {
        this(client, firstUrl, headers, onPage, Runnable::run);
    }

    /**
     * The {@code Prefer} header of a paged read: the page size and, when not blank, the annotations
     * each row carries (e.g. {@code Microsoft.Dynamics.CRM.lookuplogicalname}).
     */
    public static String prefer(int pageSize, String annotations) {
        String prefer = "odata.maxpagesize=" + pageSize;
        return annotations == null || annotations.isBlank() ? prefer
                : prefer + ",odata.include-annotations=\"" + annotations + "\"";
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && (pending != null || nextUrl != null)) {
            RecordPage page = pending != null ? await(pending) : fetch(nextUrl);
            pending = null;
            nextUrl = page.nextLink();
            if (nextUrl != null) {
                String url = nextUrl;
                nextUrl = null;
                pending = CompletableFuture.supplyAsync(() -> fetch(url), readAhead);
            }
            current = page.records().iterator();
            onPage.accept(page);
        }
        return current.hasNext();
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    private RecordPage fetch(String url) {
        return RecordPage.parse(client.get(url, headers).body());
    }

    private static RecordPage await(CompletableFuture<RecordPage> page) {
        try {
            return page.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
