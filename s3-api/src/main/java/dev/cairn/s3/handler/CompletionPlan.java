package dev.cairn.s3.handler;

import dev.cairn.metadata.Checksum;
import dev.cairn.metadata.ChunkRef;
import dev.cairn.metadata.PartRecord;
import dev.cairn.metadata.PartSummary;
import dev.cairn.metadata.UploadRecord;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.checksum.ChecksumAlgorithm;
import dev.cairn.s3.checksum.MultipartChecksums;
import dev.cairn.s3.xml.XmlReader;
import io.vertx.core.MultiMap;
import org.w3c.dom.Element;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The checked result of a CompleteMultipartUpload request: which stored parts make the object,
 * in order, its size, ETag (MD5 of the part MD5s, "-N") and combined checksum. Pure: built from
 * the request document and the stored parts, throws the S3 error AWS gives for each problem.
 */
record CompletionPlan(List<PartRecord> parts, long size, String etag, Checksum checksum) {
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final int MAX_PARTS = 10_000;

    /** A part as the client listed it. */
    record Requested(int number, String etag, Map<String, String> checksums) {
    }

    static List<Requested> parseRequest(byte[] body) {
        Element root = XmlReader.parse(body, "CompleteMultipartUpload");
        List<Element> parts = XmlReader.children(root, "Part");
        if (parts.isEmpty() || parts.size() > MAX_PARTS) {
            throw XmlReader.malformed();
        }
        List<Requested> out = new ArrayList<>(parts.size());
        for (Element p : parts) {
            String number = XmlReader.childText(p, "PartNumber");
            String etag = XmlReader.childText(p, "ETag");
            if (number == null || etag == null) {
                throw XmlReader.malformed();
            }
            int n;
            try {
                n = Integer.parseInt(number.trim());
            } catch (NumberFormatException e) {
                throw XmlReader.malformed();
            }
            Map<String, String> checksums = new HashMap<>();
            for (ChecksumAlgorithm alg : ChecksumAlgorithm.values()) {
                String v = XmlReader.childText(p, "Checksum" + alg.name());
                if (v != null) {
                    checksums.put(alg.name(), v.trim());
                }
            }
            out.add(new Requested(n, ObjectHandler.unquote(etag), checksums));
        }
        return out;
    }

    /**
     * SHA-256 of the part list a request names (number and ETag of each part, in order): what a
     * completion is remembered by, so that only a retry naming the same parts gets its answer.
     */
    static byte[] digest(List<Requested> requested) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Requested r : requested) {
            sha.update((r.number() + ":" + r.etag() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return sha.digest();
    }

    static CompletionPlan build(UploadRecord upload, List<Requested> requested, List<PartRecord> stored) {
        Map<Integer, PartRecord> byNumber = new HashMap<>();
        stored.forEach(p -> byNumber.put(p.partNumber(), p));
        List<PartRecord> chosen = new ArrayList<>(requested.size());
        int previous = 0;
        for (Requested r : requested) {
            if (r.number() <= previous) {
                throw new S3Exception(S3ErrorCode.INVALID_PART_ORDER);
            }
            previous = r.number();
            PartRecord p = byNumber.get(r.number());
            if (p == null || !p.etag().equals(r.etag())) {
                throw invalidPart(r);
            }
            for (Map.Entry<String, String> c : r.checksums().entrySet()) {
                if (p.checksum() == null || !p.checksum().algorithm().equals(c.getKey())
                        || !p.checksum().value().equals(c.getValue())) {
                    throw invalidPart(r);
                }
            }
            chosen.add(p);
        }
        long size = 0;
        MessageDigest md5 = md5();
        for (int i = 0; i < chosen.size(); i++) {
            PartRecord p = chosen.get(i);
            if (i < chosen.size() - 1 && p.size() < MIN_PART_SIZE) {
                throw new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL)
                        .with("ProposedSize", Long.toString(p.size()))
                        .with("MinSizeAllowed", Long.toString(MIN_PART_SIZE))
                        .with("PartNumber", Integer.toString(p.partNumber()))
                        .with("ETag", p.etag());
            }
            size += p.size();
            md5.update(HexFormat.of().parseHex(p.etag()));
        }
        String etag = HexFormat.of().formatHex(md5.digest()) + "-" + chosen.size();
        return new CompletionPlan(chosen, size, etag, combinedChecksum(upload, chosen));
    }

    /**
     * CompleteMultipartUpload may carry the object's checksum (x-amz-checksum-ALG: the CRC of the
     * whole object for FULL_OBJECT, the checksum of checksums for COMPOSITE); it must be the one
     * this plan computed, else BadDigest.
     */
    void checkObjectChecksum(MultiMap headers) {
        for (ChecksumAlgorithm alg : ChecksumAlgorithm.values()) {
            String given = headers.get(alg.headerName());
            if (given != null) {
                alg.decode(withoutPartCount(given.trim())); // InvalidRequest for a value that is no digest
            }
            if (given != null && (checksum == null || !checksum.algorithm().equals(alg.name())
                    || !withoutPartCount(checksum.value()).equals(withoutPartCount(given.trim())))) {
                throw new S3Exception(S3ErrorCode.BAD_DIGEST,
                        "The " + alg.name() + " you specified did not match the calculated checksum.");
            }
        }
    }

    /** A COMPOSITE value without its "-N" part count. */
    private static String withoutPartCount(String value) {
        int dash = value.lastIndexOf('-');
        return dash < 0 || !value.substring(dash + 1).matches("[0-9]+") ? value : value.substring(0, dash);
    }

    List<ChunkRef> chunks() {
        List<ChunkRef> out = new ArrayList<>();
        parts.forEach(p -> out.addAll(p.chunks()));
        return out;
    }

    List<PartSummary> summaries() {
        return parts.stream().map(p -> new PartSummary(p.partNumber(), p.size(), p.etag(), p.checksum())).toList();
    }

    List<Integer> numbers() {
        return parts.stream().map(PartRecord::partNumber).toList();
    }

    private static Checksum combinedChecksum(UploadRecord upload, List<PartRecord> parts) {
        if (upload.checksumAlgorithm() == null) {
            return null;
        }
        ChecksumAlgorithm alg = ChecksumAlgorithm.fromName(upload.checksumAlgorithm()).orElse(null);
        if (alg == null) {
            return null;
        }
        List<byte[]> digests = new ArrayList<>(parts.size());
        List<Long> sizes = new ArrayList<>(parts.size());
        for (PartRecord p : parts) {
            if (p.checksum() == null || !p.checksum().algorithm().equals(alg.name())) {
                return null;
            }
            digests.add(Base64.getDecoder().decode(p.checksum().value()));
            sizes.add(p.size());
        }
        if ("FULL_OBJECT".equals(upload.checksumType())) {
            return new Checksum(alg.name(), "FULL_OBJECT", MultipartChecksums.fullObject(alg, digests, sizes));
        }
        return new Checksum(alg.name(), "COMPOSITE", MultipartChecksums.composite(alg, digests));
    }

    private static S3Exception invalidPart(Requested r) {
        return new S3Exception(S3ErrorCode.INVALID_PART)
                .with("PartNumber", Integer.toString(r.number()))
                .with("ETag", r.etag());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
