package hmn.serve.web;

import java.io.IOException;

/**
 * The report served under {@code /hmn/report/} by {@link BrowserResources}: a page or file by its path relative to the
 * report's root ({@code index.html}, {@code c/L1-0.html}, {@code t/...jpg}). {@code hmn serve} mounts one for its
 * HTTP port; the command line supplies it, so that this package knows nothing of how pages are made.
 */
public interface ReportSite {
    /** A file's bytes and media type. */
    record Page(byte[] bytes, String type) {}

    /** The file at {@code path} (no leading slash, already checked for {@code ..}), or null when there is none. */
    Page page(String path) throws IOException;
}
