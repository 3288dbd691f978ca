package dev.cairn.s3.auth;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The policy of a browser form upload (POST Object): a base64 JSON document with an expiration
 * and conditions every form field must meet. Conditions: exact-match objects
 * ({@code {"acl": "private"}}), {@code ["eq", "$field", value]}, {@code ["starts-with", "$field",
 * prefix]} and {@code ["content-length-range", min, max]}. As S3 requires, every form field except
 * the file, the policy, the signature and {@code x-ignore-*} ones must be named by a condition.
 * Violations answer 403 AccessDenied with S3's "Invalid according to Policy: ..." messages.
 *
 * @param minLength the smallest file allowed (0 without a content-length-range)
 * @param maxLength the largest file allowed ({@link Long#MAX_VALUE} without one)
 */
public record PostPolicy(Instant expiration, List<Condition> conditions, long minLength, long maxLength) {
    /** Form fields no condition has to name. */
    private static final Set<String> EXEMPT = Set.of("file", "policy", "x-amz-signature", "signature",
            "awsaccesskeyid");

    /** The "policy" of an anonymous form upload: no expiration and no conditions. */
    public static final PostPolicy NONE = new PostPolicy(Instant.MAX, List.of(), 0, Long.MAX_VALUE);

    /** One field condition. {@code field} is lower-case without the '$'. */
    public record Condition(String operator, String field, String value, String original) {
    }

    /** Decodes and parses; InvalidPolicyDocument when it is not a policy. */
    public static PostPolicy decode(String base64) {
        JsonObject json;
        try {
            json = new JsonObject(new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
            throw invalid("Invalid Policy: Invalid JSON.");
        }
        Object exp = json.getValue("expiration");
        if (!(exp instanceof String expiration)) {
            throw invalid("Invalid Policy: Policy missing expiration.");
        }
        Instant expires;
        try {
            expires = Instant.parse(expiration);
        } catch (DateTimeParseException e) {
            throw invalid("Invalid Policy: Invalid 'expiration' value: '" + expiration + "'");
        }
        Object conds = json.getValue("conditions");
        if (!(conds instanceof JsonArray array)) {
            throw invalid("Invalid Policy: Policy missing conditions.");
        }
        List<Condition> conditions = new ArrayList<>();
        long min = 0;
        long max = Long.MAX_VALUE;
        for (Object c : array) {
            if (c instanceof JsonObject exact) {
                if (exact.size() != 1) {
                    throw invalid("Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
                }
                Map.Entry<String, Object> e = exact.iterator().next();
                conditions.add(new Condition("eq", fieldName(e.getKey()), text(e.getValue()), exact.encode()));
            } else if (c instanceof JsonArray list && list.size() == 3 && list.getValue(0) instanceof String op) {
                String operator = op.toLowerCase(Locale.ROOT);
                if (operator.equals("content-length-range")) {
                    min = number(list.getValue(1));
                    max = number(list.getValue(2));
                } else if (operator.equals("eq") || operator.equals("starts-with")) {
                    if (!(list.getValue(1) instanceof String f) || !f.startsWith("$")) {
                        throw invalid("Invalid Policy: Invalid Condition: " + list.encode());
                    }
                    conditions.add(new Condition(operator, fieldName(f.substring(1)), text(list.getValue(2)),
                            list.encode()));
                } else {
                    throw invalid("Invalid Policy: Invalid Condition: unknown operation " + op);
                }
            } else {
                throw invalid("Invalid Policy: Invalid Condition: " + c);
            }
        }
        return new PostPolicy(expires, List.copyOf(conditions), min, max);
    }

    /**
     * Checks the policy against the form.
     *
     * @param fields the form fields before the file, names lower-case
     * @param bucket the bucket posted to (what a {@code $bucket} condition compares)
     */
    public void check(Map<String, String> fields, String bucket, Instant now) {
        if (!now.isBefore(expiration)) {
            throw denied("Invalid according to Policy: Policy expired.");
        }
        Set<String> named = new HashSet<>();
        for (Condition c : conditions) {
            named.add(c.field());
            String actual = c.field().equals("bucket") ? bucket : fields.get(c.field());
            boolean ok = actual != null && (c.operator().equals("eq") ? actual.equals(c.value())
                    : actual.startsWith(c.value()));
            if (!ok) {
                throw denied("Invalid according to Policy: Policy Condition failed: " + c.original());
            }
        }
        for (String field : fields.keySet()) {
            if (!EXEMPT.contains(field) && !field.startsWith("x-ignore-") && !named.contains(field)) {
                throw denied("Invalid according to Policy: Extra input fields: " + field);
            }
        }
    }

    private static String fieldName(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw invalid("Invalid Policy: Invalid Condition value.");
    }

    private static long number(Object v) {
        try {
            long n = v instanceof Number num ? num.longValue() : Long.parseLong(String.valueOf(v).trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw invalid("Invalid Policy: Invalid content-length-range values.");
    }

    static S3Exception denied(String message) {
        return new S3Exception(S3ErrorCode.ACCESS_DENIED, message);
    }

    private static S3Exception invalid(String message) {
        return new S3Exception(S3ErrorCode.INVALID_POLICY_DOCUMENT, message);
    }
}
