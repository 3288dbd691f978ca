package dev.cairn.s3.admin;

import dev.cairn.s3.S3Exception;
import dev.cairn.s3.auth.AuthResult;
import dev.cairn.s3.auth.SigV4Verifier;
import dev.cairn.s3.http.VertxRequestView;
import dev.cairn.s3.iam.IamException;
import dev.cairn.s3.iam.IamException.Code;
import dev.cairn.s3.iam.IamService;
import dev.cairn.s3.iam.Principal;
import dev.cairn.s3.iam.policy.PolicyEvaluator;
import dev.cairn.s3.iam.policy.RequestContext;
import dev.cairn.s3.request.QueryString;
import dev.cairn.s3.xml.IamDocuments;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * The subset of the AWS IAM Query API Cairn serves on the admin port ({@code POST /}, a form of
 * {@code Action=...&Version=2010-05-08&...}, signed with SigV4 for service "iam"), so that
 * {@code aws iam --endpoint-url http://HOST:9001 ...} works unchanged. The root user may call
 * everything; a user what its identity policies allow (iam:ACTION on the user's or policy's
 * ARN). Answers are IAM's XML documents and error codes ({@link IamActions} does the work).
 */
public final class IamApi {
    private static final Logger LOG = LoggerFactory.getLogger(IamApi.class);
    /** The largest form accepted (policy documents are at most 6 KiB, URL-encoded maybe three times that). */
    public static final long MAX_BODY_BYTES = 128 * 1024;

    private final SigV4Verifier verifier;
    private final IamActions actions;
    private final ExecutorService pool;
    private final String idPrefix;

    public IamApi(SigV4Verifier s3Verifier, IamService service, ExecutorService pool) {
        this.verifier = s3Verifier.forService("iam");
        this.actions = new IamActions(service);
        this.pool = pool;
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        this.idPrefix = HexFormat.of().formatHex(b);
    }

    public void handle(RoutingContext ctx) {
        String requestId = idPrefix + "-" + Long.toHexString(System.nanoTime());
        Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
        byte[] body = raw == null ? new byte[0] : raw.getBytes();
        Map<String, String> params;
        Principal caller;
        try {
            params = params(ctx.request().query(), body);
            caller = authenticate(ctx, body);
        } catch (IamException e) {
            send(ctx, e.code().status(), IamDocuments.error(e, requestId));
            return;
        }
        String action = params.get("Action");
        CompletableFuture.supplyAsync(() -> {
            if (action == null) {
                throw new IamException(Code.MISSING_PARAMETER, "The request must contain the parameter Action.");
            }
            IamActions.Call call = actions.call(action, params, caller);
            authorize(caller, action, call.resource(), actions);
            return IamDocuments.response(action, requestId, call.run());
        }, pool).whenComplete((xml, err) -> ctx.vertx().runOnContext(v -> {
            if (err == null) {
                send(ctx, 200, xml);
                return;
            }
            Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            IamException iam = e instanceof IamException ie ? ie : internal(e, requestId);
            send(ctx, iam.code().status(), IamDocuments.error(iam, requestId));
        }));
    }

    private Principal authenticate(RoutingContext ctx, byte[] body) {
        AuthResult auth;
        try {
            auth = verifier.verify(new VertxRequestView(ctx.request()), body);
        } catch (S3Exception e) {
            throw translate(e);
        }
        if (auth == null) {
            throw new IamException(Code.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
        }
        if (auth.payloadSha256Hex() != null && !auth.payloadSha256Hex().equals(sha256Hex(body))) {
            throw new IamException(Code.SIGNATURE_DOES_NOT_MATCH,
                    "The request body does not match the x-amz-content-sha256 it was signed with.");
        }
        return auth.principal();
    }

    /** The root user may do everything; a user what its identity policies allow; nobody else anything. */
    private static void authorize(Principal caller, String action, String resource, IamActions actions) {
        if (caller.isRoot()) {
            return;
        }
        RequestContext ctx = new RequestContext(caller, "iam:" + action, resource, Map.of());
        if (PolicyEvaluator.decide(ctx, actions.policiesOf(caller), null, false) != PolicyEvaluator.Decision.ALLOW) {
            throw new IamException(Code.ACCESS_DENIED, "User: " + caller.arn() + " is not authorized to perform: iam:"
                    + action + " on resource: " + resource);
        }
    }

    private static IamException translate(S3Exception e) {
        return switch (e.error()) {
            case INVALID_ACCESS_KEY_ID -> new IamException(Code.INVALID_CLIENT_TOKEN_ID,
                    "The security token included in the request is invalid.");
            case SIGNATURE_DOES_NOT_MATCH -> new IamException(Code.SIGNATURE_DOES_NOT_MATCH,
                    "The request signature we calculated does not match the signature you provided. Check your AWS "
                            + "Secret Access Key and signing method. Consult the service documentation for details.");
            case REQUEST_TIME_TOO_SKEWED -> new IamException(Code.SIGNATURE_DOES_NOT_MATCH, "Signature expired: "
                    + e.extra().getOrDefault("RequestTime", "") + " is now earlier than the time allowed.");
            case ACCESS_DENIED -> new IamException(Code.ACCESS_DENIED, e.getMessage());
            default -> new IamException(Code.INCOMPLETE_SIGNATURE, e.getMessage());
        };
    }

    private static IamException internal(Throwable e, String requestId) {
        LOG.error("[{}] IAM request failed", requestId, e);
        return new IamException(Code.SERVICE_FAILURE, "The request processing has failed because of an unknown error, "
                + "exception or failure.");
    }

    /** The form's parameters (form encoding: '+' is a space), then any the query adds. */
    static Map<String, String> params(String query, byte[] body) {
        Map<String, String> out = new HashMap<>();
        try {
            addForm(out, new String(body, java.nio.charset.StandardCharsets.US_ASCII));
            addForm(out, query);
        } catch (S3Exception e) {
            throw new IamException(Code.INVALID_INPUT, "The request body is not a valid form.");
        }
        return out;
    }

    private static void addForm(Map<String, String> out, String form) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = QueryString.decode(eq < 0 ? pair : pair.substring(0, eq), true);
            out.putIfAbsent(name, eq < 0 ? "" : QueryString.decode(pair.substring(eq + 1), true));
        }
    }

    private static void send(RoutingContext ctx, int status, byte[] xml) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/xml")
                .putHeader("Content-Length", Integer.toString(xml.length)).end(Buffer.buffer(xml));
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
