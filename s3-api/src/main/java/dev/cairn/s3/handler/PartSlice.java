package dev.cairn.s3.handler;

import dev.cairn.metadata.Checksum;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.PartSummary;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

/**
 * What GetObject and HeadObject with {@code partNumber} serve: the part's bytes (null for an
 * empty object) and the checksum that goes with them under {@code x-amz-checksum-mode}: the
 * part's own, typed as the object's checksum is (COMPOSITE or FULL_OBJECT, as the upload chose).
 * An object uploaded in one piece has one part, the whole object with its checksum.
 *
 * @param partsCount the object's part count (x-amz-mp-parts-count)
 */
record PartSlice(ByteRange range, Checksum checksum, int partsCount) {

    /** InvalidPart (400, as AWS answers) for a part the object does not have. */
    static PartSlice of(ObjectRecord o, int partNumber) {
        int count = Math.max(1, o.parts().size());
        if (partNumber > count) {
            throw new S3Exception(S3ErrorCode.INVALID_PART, "The requested partnumber is not satisfiable")
                    .with("PartNumberRequested", Integer.toString(partNumber))
                    .with("ActualPartCount", Integer.toString(count));
        }
        if (o.parts().isEmpty()) {
            return new PartSlice(o.size() == 0 ? null : new ByteRange(0, o.size()), o.checksum(), 1);
        }
        long start = 0;
        for (int i = 0; i < partNumber - 1; i++) {
            start += o.parts().get(i).size();
        }
        PartSummary part = o.parts().get(partNumber - 1);
        return new PartSlice(new ByteRange(start, part.size()), typed(part.checksum(), o.checksum()), count);
    }

    private static Checksum typed(Checksum part, Checksum object) {
        if (part == null || object == null || !object.algorithm().equals(part.algorithm())) {
            return part;
        }
        return new Checksum(part.algorithm(), object.type(), part.value());
    }
}
