package dev.cairn.metadata;

import java.util.Optional;

/**
 * The binary form of a {@link MetaResult}, so a replica can answer the gateway that sent the
 * command: {@code u8 format version} ({@value #V1}), {@code u8 result tag}, then the fields; stored
 * records are embedded in their own versioned formats ({@link RecordCodec}). Bad input throws
 * {@link MetadataException.StorageFailure}.
 */
public final class ResultCodec {
    static final int V1 = 1;
    private static final int DONE = 1;
    private static final int REPLACED = 2;
    private static final int BUCKET = 3;
    private static final int OBJECT = 4;
    private static final int MAP_VERSION = 5;
    private static final int SWAPPED = 6;
    private static final int EPOCH = 7;
    private static final int REJECTED = 8;
    private static final int FAILED = 9;
    private static final int COUNT = 10;

    private ResultCodec() {
    }

    public static byte[] encode(MetaResult result) {
        ByteWriter w = new ByteWriter(32).u8(V1);
        if (result instanceof MetaResult.Done) {
            w.u8(DONE);
        } else if (result instanceof MetaResult.Replaced r) {
            w.u8(REPLACED).bytes(r.previous().map(RecordCodec::encodeObject).orElse(null))
                    .bytes(r.written() == null ? null : RecordCodec.encodeObject(r.written()));
        } else if (result instanceof MetaResult.BucketResult r) {
            w.u8(BUCKET).bytes(RecordCodec.encodeBucket(r.bucket()));
        } else if (result instanceof MetaResult.ObjectResult r) {
            w.u8(OBJECT).bytes(RecordCodec.encodeObject(r.object()));
        } else if (result instanceof MetaResult.MapVersion r) {
            w.u8(MAP_VERSION).varLong(r.version());
        } else if (result instanceof MetaResult.Swapped r) {
            w.u8(SWAPPED).u8(r.applied() ? 1 : 0);
        } else if (result instanceof MetaResult.Epoch r) {
            w.u8(EPOCH).varLong(r.epoch());
        } else if (result instanceof MetaResult.Count r) {
            w.u8(COUNT).varInt(r.count());
        } else if (result instanceof MetaResult.Rejected r) {
            w.u8(REJECTED).u8(r.reason().tag).string(r.subject()).string(r.detail())
                    .bytes(r.existing() == null ? null : RecordCodec.encodeBucket(r.existing()));
        } else if (result instanceof MetaResult.Failed r) {
            w.u8(FAILED).string(r.message());
        } else {
            throw new IllegalArgumentException("unknown result " + result);
        }
        return w.toByteArray();
    }

    public static MetaResult decode(byte[] bytes) {
        return RecordCodec.decode("result", bytes, V1, r -> {
            int tag = r.u8();
            MetaResult out = switch (tag) {
                case DONE -> MetaResult.DONE;
                case REPLACED -> {
                    byte[] previous = r.bytes();
                    byte[] written = r.bytes();
                    yield new MetaResult.Replaced(previous == null ? Optional.empty()
                            : Optional.of(RecordCodec.decodeObject(previous)),
                            written == null ? null : RecordCodec.decodeObject(written));
                }
                case BUCKET -> new MetaResult.BucketResult(RecordCodec.decodeBucket(r.bytes()));
                case OBJECT -> new MetaResult.ObjectResult(RecordCodec.decodeObject(r.bytes()));
                case MAP_VERSION -> new MetaResult.MapVersion(r.varLong());
                case SWAPPED -> new MetaResult.Swapped(bool(r));
                case EPOCH -> new MetaResult.Epoch(r.varLong());
                case COUNT -> new MetaResult.Count(r.varInt());
                case REJECTED -> {
                    MetaResult.Rejected.Reason reason = MetaResult.Rejected.Reason.ofTag(r.u8());
                    String subject = r.string();
                    String detail = r.string();
                    byte[] existing = r.bytes();
                    yield new MetaResult.Rejected(reason, subject, detail,
                            existing == null ? null : RecordCodec.decodeBucket(existing));
                }
                case FAILED -> new MetaResult.Failed(r.string());
                default -> throw new IllegalStateException("unknown result tag " + tag);
            };
            r.requireEnd();
            return out;
        });
    }

    private static boolean bool(ByteReader r) {
        int b = r.u8();
        if (b > 1) {
            throw new IllegalStateException("bad boolean " + b);
        }
        return b == 1;
    }
}
