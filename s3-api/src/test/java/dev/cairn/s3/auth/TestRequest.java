package dev.cairn.s3.auth;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A mutable {@link RequestView} for tests. */
final class TestRequest implements RequestView {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    TestRequest(String method, String rawPath, String rawQuery) {
        this.method = method;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
    }

    /** Adds a header to this request (for building). */
    TestRequest add(String name, String value) {
        headers.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
        return this;
    }

    /** A copy with the header added (requests are never modified, so tests can derive variants). */
    TestRequest header(String name, String value) {
        TestRequest r = copy(method, rawPath, rawQuery);
        r.headers.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
        return r;
    }

    TestRequest removeHeader(String name) {
        TestRequest r = copy(method, rawPath, rawQuery);
        r.headers.removeIf(e -> e.getKey().equalsIgnoreCase(name));
        return r;
    }

    TestRequest replaceHeader(String name, String value) {
        return removeHeader(name).header(name, value);
    }

    TestRequest withMethod(String m) {
        return copy(m, rawPath, rawQuery);
    }

    private TestRequest copy(String m, String path, String query) {
        TestRequest r = new TestRequest(m, path, query);
        r.headers.addAll(headers);
        return r;
    }

    TestRequest withQuery(String query) {
        return copy(method, rawPath, query);
    }

    TestRequest withPath(String path) {
        return copy(method, path, rawQuery);
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    @Override
    public String header(String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    @Override
    public List<Map.Entry<String, String>> headers() {
        return Collections.unmodifiableList(headers);
    }
}
