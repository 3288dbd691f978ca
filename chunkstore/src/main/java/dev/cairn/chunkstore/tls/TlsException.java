package dev.cairn.chunkstore.tls;

/** A certificate or key that cannot be served, with a message naming the file and the cause. */
public final class TlsException extends IllegalArgumentException {
    public TlsException(String message) {
        super(message);
    }
}
