package org.dataversebackup.dataverse;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * The records of a Web API query, fetched a page at a time and only when needed (like Camel
 * Salesforce's query-result iterator): a streaming split over it holds one page in memory,
 * whatever the size of the table. Each {@code @odata.nextLink} is followed verbatim with the same
 * {@code Prefer} header. A page is handed out only once it has been received whole, so a page
 * fetched again after a failure never yields its records twice.
 */
public class PagedRecords implements Iterator<byte[]> {
    private final DataverseClient client;
    private final Map<String, String> headers;
    private final Consumer<RecordPage> onPage;
    private String nextUrl;
    private Iterator<byte[]> current = java.util.Collections.emptyIterator();
    private String deltaLink;
    private int pages;

    /**
     * @param firstUrl the query, relative to the API root ({@code accounts}) or absolute
     * @param headers  sent with every page, e.g. {@code Prefer: odata.maxpagesize=5000}
     * @param onPage   told about every page received (progress)
     */
    public PagedRecords(DataverseClient client, String firstUrl, Map<String, String> headers, Consumer<RecordPage> onPage) {
        this.client = client;
        this.nextUrl = firstUrl;
        this.headers = Map.copyOf(headers);
        this.onPage = onPage;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && nextUrl != null) {
            RecordPage page = RecordPage.parse(client.get(nextUrl, headers).body());
            pages++;
            nextUrl = page.nextLink();
            deltaLink = page.deltaLink();
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

    /** The delta link of the last page (change tracking), once every page has been read. */
    public String deltaLink() {
        return deltaLink;
    }

    public int pagesRead() {
        return pages;
    }
}
