package dev.cairn.s3.auth;

import java.util.AbstractMap;
import java.util.ArrayList;
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

    TestRequest header(String name, String value) {
        headers.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
        return this;
    }

    TestRequest removeHeader(String name) {
        headers.removeIf(e -> e.getKey().equalsIgnoreCase(name));
        return this;
    }

    TestRequest replaceHeader(String name, String value) {
        removeHeader(name);
        return header(name, value);
    }

    TestRequest withQuery(String query) {
        TestRequest r = new TestRequest(method, rawPath, query);
        r.headers.addAll(headers);
        return r;
    }

    TestRequest withPath(String path) {
        TestRequest r = new TestRequest(method, path, rawQuery);
        r.headers.addAll(headers);
        return r;
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
        return headers;
    }
}
