package dev.cairn.s3.handler;

import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.auth.PayloadMode;
import dev.cairn.s3.auth.PostPolicy;
import dev.cairn.s3.auth.SigV4Verifier;
import dev.cairn.s3.checksum.ChecksumAlgorithm;
import dev.cairn.s3.data.BodyExpectations;
import dev.cairn.s3.crypto.DataProtection;
import dev.cairn.s3.crypto.SseRequest;
import dev.cairn.s3.data.IngestResult;
import dev.cairn.s3.http.MultipartFormParser;
import dev.cairn.s3.access.BucketAccess;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketName;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.request.ObjectKey;
import dev.cairn.s3.request.Permission;
import dev.cairn.s3.request.S3Operation;
import dev.cairn.s3.request.UnhonouredHeaders;
import dev.cairn.s3.xml.PostDocuments;
import dev.cairn.s3.xml.S3Url;
import dev.cairn.s3.xml.TaggingDocuments;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * POST Object: a browser form upload (multipart/form-data) authenticated by a signed policy
 * instead of SigV4 headers. The fields before the file are read (bounded), the signature and the
 * policy are checked, and the file part is then streamed through the same ingest pipeline as a
 * PutObject body; fields after the file are ignored, as S3 does.
 */
final class PostObjectHandler {
    /** AWS: the form fields before the file may take at most 20 KB. */
    static final int MAX_PRE_FILE_BYTES = 20 * 1024;
    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private final S3Services s;
    private final SigV4Verifier verifier;

    PostObjectHandler(S3Services services, SigV4Verifier verifier) {
        this.s = services;
        this.verifier = verifier;
    }

    /** The fields before the file (names lower-case) and the file part's name. */
    private record Form(Map<String, String> fields, String filename) {
        String get(String name) {
            return fields.get(name);
        }
    }

    Future<Void> post(S3Exchange ex, BucketRequest.PostObject op) {
        String boundary = MultipartFormParser.boundary(ex.header("Content-Type"));
        HttpServerRequest request = ex.request();
        Promise<Form> formRead = Promise.promise();
        FormFileStream file = new FormFileStream(request);
        Map<String, String> fields = new LinkedHashMap<>();
        MultipartFormParser parser = new MultipartFormParser(boundary, MAX_PRE_FILE_BYTES,
                new MultipartFormParser.Listener() {
                    @Override
                    public void field(String name, String value) {
                        fields.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
                    }

                    @Override
                    public void fileStart(String filename, String contentType) {
                        file.pause(); // until the policy is checked and the pipeline reads it
                        formRead.tryComplete(new Form(fields, filename));
                    }

                    @Override
                    public void fileData(Buffer data) {
                        file.data(data);
                    }

                    @Override
                    public void fileEnd() {
                        file.end();
                    }

                    @Override
                    public void error(S3Exception error) {
                        formRead.tryFail(error);
                        file.fail(error);
                    }
                });
        file.parser(parser);
        request.handler(parser::feed);
        request.endHandler(v -> parser.end());
        request.exceptionHandler(e -> {
            formRead.tryFail(e);
            file.fail(e);
        });
        if ("100-continue".equalsIgnoreCase(ex.header("Expect"))) {
            ex.response().writeContinue();
        }
        request.resume();
        return formRead.future().compose(form -> {
            PostPolicy policy = authenticate(ex, op.bucket(), form);
            ObjectKey key = ObjectKey.of(form.get("key").replace("${filename}", form.filename()));
            return s.authorizer().authorize(ex, List.of(new Permission("s3:PutObject", op.bucket(), key)))
                    .compose(v -> store(ex, op.bucket(), key, form, policy, file));
        });
    }

    private Future<Void> store(S3Exchange ex, BucketName bucket, ObjectKey key, Form form, PostPolicy policy,
                               FormFileStream file) {
        MultiMap asHeaders = MultiMap.caseInsensitiveMultiMap();
        form.fields().forEach((name, value) -> asHeaders.add(name, ObjectHeaders.wireForm(value)));
        String unhonoured = UnhonouredHeaders.find(S3Operation.POST_OBJECT, asHeaders::get);
        if (unhonoured != null) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, unhonoured + " is not implemented by Cairn");
        }
        MultiMap aclHeaders = MultiMap.caseInsensitiveMultiMap();
        if (form.get("acl") != null) {
            aclHeaders.add("x-amz-acl", form.get("acl"));
        }
        Map<String, String> tags = tags(form);
        Map<String, String> headers = ObjectHeaders.systemHeaders(asHeaders);
        Map<String, String> meta = ObjectHeaders.userMetadata(asHeaders);
        String requestedClass = ObjectHeaders.requestedStorageClass(asHeaders);
        Map.Entry<ChecksumAlgorithm, String> checksum = checksum(form);
        SseRequest requested = Encryptions.requestedWrite(s, ex, asHeaders);
        long max = Math.min(policy.maxLength(), UploadBodies.MAX_OBJECT_SIZE);
        WriteAcls.ObjectAccess[] access = new WriteAcls.ObjectAccess[1];
        BucketAccess[] bucketAccess = new BucketAccess[1];
        return s.bucketAccess(ex, bucket)
                .compose(a -> {
                    bucketAccess[0] = a;
                    access[0] = WriteAcls.forObject(aclHeaders, a, ex.principal(), s.identities());
                    return s.requireBucket(ex, bucket);
                })
                .compose(b -> s.blocking(ex, () -> Map.entry(b, Encryptions.forWrite(s, bucket.value(), requested))))
                .compose(found -> {
                    DataProtection.Write protection = found.getValue();
                    String sc = ObjectHeaders.storageClass(requestedClass, found.getKey());
                    BodyExpectations expect = new BodyExpectations(PayloadMode.UNSIGNED, null, null, null,
                            checksum == null ? null : checksum.getKey(), checksum == null ? null : checksum.getValue(),
                            false, -1, max, sc).withCodec(protection.codec(), 0);
                    return UploadBodies.ingest(s, ex, file, false, expect, ObjectHandler.inlineThreshold(s, protection))
                            .compose(write -> {
                                IngestResult body = write.result();
                                if (body.size() < policy.minLength()) {
                                    write.abort();
                                    return Future.failedFuture(new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL)
                                            .with("ProposedSize", Long.toString(body.size()))
                                            .with("MinSizeAllowed", Long.toString(policy.minLength())));
                                }
                                return ObjectHandler.commit(s, ex, bucketAccess[0], key, write, sc, headers, meta,
                                        tags, WriteCondition.NONE, access[0], protection);
                            });
                })
                .recover(err -> Future.failedFuture(tooLarge(err, policy)))
                .compose(record -> respond(ex, bucket, form, key.value(), record));
    }

    /**
     * Checks that the required fields are there, the signature - SigV4 (x-amz-credential,
     * x-amz-signature) or SigV2 (AWSAccessKeyId, signature = base64 HMAC-SHA1 of the policy) -
     * whose signer becomes the exchange's principal, then the policy's expiration and conditions.
     * A form with neither policy nor signature is anonymous and gets no policy.
     */
    private PostPolicy authenticate(S3Exchange ex, BucketName bucket, Form form) {
        String policy = form.get("policy");
        if (form.get("key") == null) {
            throw missingField("key");
        }
        if (policy == null && form.get("x-amz-signature") == null && form.get("signature") == null) {
            return PostPolicy.NONE; // anonymous: the bucket's policy or ACL decides
        }
        if (form.get("awsaccesskeyid") != null || form.get("signature") != null) {
            for (String required : new String[]{"awsaccesskeyid", "policy", "signature"}) {
                if (form.get(required) == null) {
                    throw missingField(required);
                }
            }
            ex.principal(verifier.verifyPostSignatureV2(form.get("awsaccesskeyid"), policy, form.get("signature")));
        } else {
            for (String required : new String[]{"policy", "x-amz-signature", "x-amz-algorithm", "x-amz-credential",
                    "x-amz-date"}) {
                if (form.get(required) == null) {
                    throw missingField(required);
                }
            }
            if (!ALGORITHM.equals(form.get("x-amz-algorithm"))) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unsupported x-amz-algorithm: "
                        + form.get("x-amz-algorithm")).with("ArgumentName", "x-amz-algorithm")
                        .with("ArgumentValue", form.get("x-amz-algorithm"));
            }
            ex.principal(verifier.verifyPostSignature(form.get("x-amz-credential"), policy,
                    form.get("x-amz-signature")));
        }
        PostPolicy parsed = PostPolicy.decode(policy);
        parsed.check(form.fields(), bucket.value(), s.clock().instant());
        return parsed;
    }

    private static S3Exception missingField(String name) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Bucket POST must contain a field named '" + name
                + "'.  If it is specified, please check the order of the fields.")
                .with("ArgumentName", name).with("ArgumentValue", "");
    }

    /** The {@code tagging} field: a Tagging document, checked against the object tag limits. */
    private static Map<String, String> tags(Form form) {
        String tagging = form.get("tagging");
        return tagging == null ? Map.of()
                : TagSets.objectTags(TaggingDocuments.parse(tagging.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * An {@code x-amz-checksum-ALG} field: the algorithm and the expected value; or
     * {@code x-amz-checksum-algorithm}: the algorithm to compute (value null); null when neither.
     */
    private static Map.Entry<ChecksumAlgorithm, String> checksum(Form form) {
        Map.Entry<ChecksumAlgorithm, String> found = null;
        for (Map.Entry<String, String> f : form.fields().entrySet()) {
            if (!f.getKey().startsWith("x-amz-checksum-") || f.getKey().equals("x-amz-checksum-algorithm")) {
                continue;
            }
            ChecksumAlgorithm alg = ChecksumAlgorithm.fromHeaderName(f.getKey()).orElseThrow(() ->
                    new S3Exception(S3ErrorCode.INVALID_REQUEST, "Unknown checksum field " + f.getKey()));
            if (found != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
            }
            String value = f.getValue().trim();
            UploadBodies.checkChecksumValue(alg, value);
            found = Map.entry(alg, value);
        }
        String computeOnly = form.get("x-amz-checksum-algorithm");
        if (found == null && computeOnly != null) {
            ChecksumAlgorithm alg = ChecksumAlgorithm.fromName(computeOnly.trim()).orElseThrow(() ->
                    new S3Exception(S3ErrorCode.INVALID_REQUEST, "Value for x-amz-checksum-algorithm is invalid."));
            found = new java.util.AbstractMap.SimpleEntry<>(alg, null);
        }
        return found;
    }

    private static Throwable tooLarge(Throwable err, PostPolicy policy) {
        if (err instanceof S3Exception e && e.error() == S3ErrorCode.ENTITY_TOO_LARGE && e.extra().isEmpty()
                && policy.maxLength() < UploadBodies.MAX_OBJECT_SIZE) {
            e.with("MaxSizeAllowed", Long.toString(policy.maxLength()));
        }
        return err;
    }

    /** 303 to success_action_redirect, else success_action_status 200, 201 (PostResponse) or 204. */
    private Future<Void> respond(S3Exchange ex, BucketName bucket, Form form, String key, ObjectRecord record) {
        ObjectHandler.writeEtagAndChecksum(ex.response(), record);
        String location = location(ex, bucket, key);
        ex.response().putHeader("Location", location);
        String redirect = form.get("success_action_redirect") != null ? form.get("success_action_redirect")
                : form.get("redirect");
        URI target = redirect == null ? null : redirectTarget(redirect);
        if (target != null) {
            String query = "bucket=" + S3Url.encode(bucket.value()) + "&key=" + S3Url.encode(key).replace("/", "%2F")
                    + "&etag=" + S3Url.encode("\"" + record.etag() + "\"");
            String url = redirect + (target.getRawQuery() == null ? "?" : "&") + query;
            ex.response().putHeader("Location", url);
            return ex.sendEmpty(303);
        }
        String status = form.get("success_action_status");
        if ("201".equals(status)) {
            return ex.sendXml(201, PostDocuments.postResponse(location, bucket.value(), key, record.etag()));
        }
        return ex.sendEmpty("200".equals(status) ? 200 : 204);
    }

    private static URI redirectTarget(String redirect) {
        try {
            URI uri = new URI(redirect);
            return uri.getScheme() != null && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null; // S3 ignores a redirect that is not a URL
        }
    }

    /** The object's URL, addressed the way the request addressed the bucket. */
    private static String location(S3Exchange ex, BucketName bucket, String key) {
        HttpServerRequest r = ex.request();
        String host = r.getHeader("Host") == null ? "localhost" : r.getHeader("Host");
        boolean virtualHosted = "/".equals(r.path());
        return r.scheme() + "://" + host + (virtualHosted ? "/" : "/" + S3Url.encode(bucket.value()) + "/")
                + S3Url.encode(key);
    }
}
