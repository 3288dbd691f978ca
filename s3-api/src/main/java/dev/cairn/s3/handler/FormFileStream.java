package dev.cairn.s3.handler;

import dev.cairn.s3.http.MultipartFormParser;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * The file part of a form upload as a stream, so that the ingest pipeline reads it exactly like a
 * PutObject body: the parser pushes the file's bytes in, and pausing the stream pauses both the
 * parser and the request (back-pressure reaches the client).
 */
final class FormFileStream implements ReadStream<Buffer> {
    private final HttpServerRequest request;
    private MultipartFormParser parser;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    FormFileStream(HttpServerRequest request) {
        this.request = request;
    }

    void parser(MultipartFormParser p) {
        this.parser = p;
    }

    void data(Buffer b) {
        if (handler != null) {
            handler.handle(b);
        }
    }

    void end() {
        if (endHandler != null) {
            endHandler.handle(null);
        }
    }

    void fail(Throwable error) {
        if (exceptionHandler != null) {
            exceptionHandler.handle(error);
        }
    }

    @Override
    public FormFileStream exceptionHandler(Handler<Throwable> h) {
        this.exceptionHandler = h;
        return this;
    }

    @Override
    public FormFileStream handler(Handler<Buffer> h) {
        this.handler = h;
        return this;
    }

    @Override
    public FormFileStream pause() {
        parser.pause();
        request.pause();
        return this;
    }

    @Override
    public FormFileStream resume() {
        parser.resume();
        request.resume();
        return this;
    }

    @Override
    public FormFileStream fetch(long amount) {
        return resume();
    }

    @Override
    public FormFileStream endHandler(Handler<Void> h) {
        this.endHandler = h;
        return this;
    }
}
