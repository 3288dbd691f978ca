package dev.cairn.s3.iam.policy;

import dev.cairn.s3.iam.policy.PolicyDocument.Condition;
import dev.cairn.s3.iam.policy.PolicyDocument.Effect;
import dev.cairn.s3.iam.policy.PolicyDocument.Principals;
import dev.cairn.s3.iam.policy.PolicyDocument.SetQualifier;
import dev.cairn.s3.iam.policy.PolicyDocument.Statement;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a policy document (JSON) into a {@link PolicyDocument}, refusing what AWS
 * refuses with {@link MalformedPolicyException}: unknown fields, a missing or extra Principal,
 * Action and NotAction together, unknown effects, condition operators or condition keys, and, for
 * a bucket policy, a resource outside the bucket.
 */
public final class PolicyParser {
    private static final Set<String> STATEMENT_FIELDS = Set.of("Sid", "Effect", "Principal", "NotPrincipal",
            "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Pattern ACTION = Pattern.compile("\\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern IAM_ARN = Pattern.compile("arn:aws:iam::(\\d{12}|\\*):(root|user/.+|role/.+)");

    /** Where a document is used: attached to a user (no Principal) or to a bucket (Principal required). */
    public enum Kind { IDENTITY, BUCKET }

    private PolicyParser() {
    }

    /** Parses an identity policy (user inline or managed). */
    public static PolicyDocument identityPolicy(String json) {
        return parse(json, Kind.IDENTITY, null);
    }

    /** Parses the policy of bucket {@code bucket}: every resource must be the bucket or within it. */
    public static PolicyDocument bucketPolicy(String json, String bucket) {
        return parse(json, Kind.BUCKET, bucket);
    }

    static PolicyDocument parse(String json, Kind kind, String bucket) {
        if (json == null || json.isBlank() || json.trim().charAt(0) != '{') {
            throw new MalformedPolicyException("Policies must be valid JSON and the first byte must be '{'");
        }
        JsonObject root;
        try {
            root = new JsonObject(json);
        } catch (DecodeException | ClassCastException e) {
            throw new MalformedPolicyException("This policy contains invalid Json");
        }
        for (String field : root.fieldNames()) {
            if (!field.equals("Version") && !field.equals("Id") && !field.equals("Statement")) {
                throw new MalformedPolicyException("Unknown field " + field);
            }
        }
        Object v = root.getValue("Version");
        String version = v == null ? PolicyDocument.OLD_VERSION : v.toString();
        if (!(v == null || v instanceof String) || !version.equals(PolicyDocument.CURRENT_VERSION)
                && !version.equals(PolicyDocument.OLD_VERSION)) {
            throw new MalformedPolicyException("The policy must contain a valid version string");
        }
        Object st = root.getValue("Statement");
        if (st == null) {
            throw new MalformedPolicyException("Missing required field Statement");
        }
        List<Statement> statements = new ArrayList<>();
        if (st instanceof JsonObject one) {
            statements.add(statement(one, kind, bucket));
        } else if (st instanceof JsonArray many && !many.isEmpty()) {
            for (Object o : many) {
                if (!(o instanceof JsonObject s)) {
                    throw new MalformedPolicyException("Statement is not well-formed");
                }
                statements.add(statement(s, kind, bucket));
            }
        } else {
            throw new MalformedPolicyException("Statement is not well-formed");
        }
        return new PolicyDocument(version, statements);
    }

    private static Statement statement(JsonObject s, Kind kind, String bucket) {
        for (String field : s.fieldNames()) {
            if (!STATEMENT_FIELDS.contains(field)) {
                throw new MalformedPolicyException("Unknown field " + field);
            }
        }
        Object sidValue = s.getValue("Sid");
        if (sidValue != null && !(sidValue instanceof String)) {
            throw new MalformedPolicyException("Statement IDs (SID) must be strings");
        }
        Effect effect = switch (String.valueOf(s.getValue("Effect"))) {
            case "Allow" -> Effect.ALLOW;
            case "Deny" -> Effect.DENY;
            default -> throw new MalformedPolicyException("Invalid effect: " + s.getValue("Effect"));
        };
        boolean hasPrincipal = s.containsKey("Principal");
        boolean hasNotPrincipal = s.containsKey("NotPrincipal");
        Principals principals = null;
        if (kind == Kind.IDENTITY) {
            if (hasPrincipal || hasNotPrincipal) {
                throw new MalformedPolicyException("Policy document should not specify a principal.");
            }
        } else {
            if (hasPrincipal == hasNotPrincipal) {
                throw new MalformedPolicyException(hasPrincipal ? "Policy has both Principal and NotPrincipal"
                        : "Missing required field Principal");
            }
            principals = principals(s.getValue(hasPrincipal ? "Principal" : "NotPrincipal"));
        }
        boolean notAction = exactlyOne(s, "Action", "NotAction");
        List<String> actions = strings(s.getValue(notAction ? "NotAction" : "Action"), "Action");
        for (String a : actions) {
            if (!ACTION.matcher(a).matches()) {
                throw new MalformedPolicyException("Policy has invalid action");
            }
        }
        boolean notResource = exactlyOne(s, "Resource", "NotResource");
        List<String> resources = strings(s.getValue(notResource ? "NotResource" : "Resource"), "Resource");
        for (String r : resources) {
            checkResource(r, kind, bucket);
        }
        return new Statement(sidValue == null ? null : (String) sidValue, effect, principals, hasNotPrincipal,
                actions, notAction, resources, notResource, conditions(s.getValue("Condition")));
    }

    /** Exactly one of the two fields is given; true when it is the second (the "Not" form). */
    private static boolean exactlyOne(JsonObject s, String positive, String negative) {
        boolean p = s.containsKey(positive);
        boolean n = s.containsKey(negative);
        if (p == n) {
            throw new MalformedPolicyException(p ? "Statement has both " + positive + " and " + negative
                    : "Missing required field " + positive);
        }
        return n;
    }

    private static void checkResource(String r, Kind kind, String bucket) {
        if (r.equals("*")) {
            if (kind == Kind.BUCKET) {
                throw new MalformedPolicyException("Policy has invalid resource");
            }
            return;
        }
        if (!r.startsWith("arn:")) {
            throw new MalformedPolicyException("Policy has invalid resource");
        }
        if (kind == Kind.BUCKET) {
            String mine = "arn:aws:s3:::" + bucket;
            if (!(r.equals(mine) || r.startsWith(mine + "/"))) {
                throw new MalformedPolicyException("Policy has invalid resource");
            }
        }
    }

    private static Principals principals(Object value) {
        if ("*".equals(value)) {
            return Principals.ANYONE;
        }
        if (!(value instanceof JsonObject o) || o.isEmpty()) {
            throw new MalformedPolicyException("Invalid principal in policy");
        }
        List<String> aws = new ArrayList<>();
        List<String> canonical = new ArrayList<>();
        List<String> others = new ArrayList<>();
        boolean anyone = false;
        for (Map.Entry<String, Object> e : o) {
            List<String> ids = strings(e.getValue(), "Principal");
            switch (e.getKey()) {
                case "AWS" -> {
                    for (String id : ids) {
                        if (id.equals("*")) {
                            anyone = true;
                        } else if (ACCOUNT.matcher(id).matches() || IAM_ARN.matcher(id).matches()) {
                            aws.add(id);
                        } else {
                            throw new MalformedPolicyException("Invalid principal in policy");
                        }
                    }
                }
                case "CanonicalUser" -> canonical.addAll(ids);
                case "Service", "Federated" -> others.addAll(ids);
                default -> throw new MalformedPolicyException("Invalid principal in policy");
            }
        }
        return new Principals(anyone, aws, canonical, others);
    }

    private static List<Condition> conditions(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonObject block)) {
            throw new MalformedPolicyException("Condition is not well-formed");
        }
        List<Condition> out = new ArrayList<>();
        for (Map.Entry<String, Object> op : block) {
            String name = op.getKey();
            SetQualifier qualifier = SetQualifier.NONE;
            if (name.startsWith("ForAnyValue:")) {
                qualifier = SetQualifier.FOR_ANY_VALUE;
                name = name.substring("ForAnyValue:".length());
            } else if (name.startsWith("ForAllValues:")) {
                qualifier = SetQualifier.FOR_ALL_VALUES;
                name = name.substring("ForAllValues:".length());
            }
            boolean ifExists = name.endsWith("IfExists");
            if (ifExists) {
                name = name.substring(0, name.length() - "IfExists".length());
            }
            ConditionOperator operator = ConditionOperator.named(name);
            if (operator == null || operator == ConditionOperator.NULL && (ifExists
                    || qualifier != SetQualifier.NONE)) {
                throw new MalformedPolicyException("Invalid Condition type : " + op.getKey());
            }
            if (!(op.getValue() instanceof JsonObject keys) || keys.isEmpty()) {
                throw new MalformedPolicyException("Condition is not well-formed");
            }
            for (Map.Entry<String, Object> k : keys) {
                String key = k.getKey().toLowerCase(Locale.ROOT);
                if (!key.startsWith("aws:") && !key.startsWith("s3:") && !key.startsWith("iam:")) {
                    throw new MalformedPolicyException("Policy has an invalid condition key");
                }
                List<String> values = conditionValues(k.getValue());
                for (String v : values) {
                    operator.checkPolicyValue(v);
                }
                out.add(new Condition(operator, qualifier, ifExists, key, values));
            }
        }
        return out;
    }

    /** Condition values may be strings, numbers or booleans, alone or in an array. */
    private static List<String> conditionValues(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof JsonArray a) {
            for (Object o : a) {
                out.add(scalar(o));
            }
        } else {
            out.add(scalar(value));
        }
        if (out.isEmpty()) {
            throw new MalformedPolicyException("Condition is not well-formed");
        }
        return out;
    }

    private static String scalar(Object o) {
        if (o instanceof String || o instanceof Number || o instanceof Boolean) {
            return o.toString();
        }
        throw new MalformedPolicyException("Condition is not well-formed");
    }

    /** A string or a non-empty array of strings. */
    private static List<String> strings(Object value, String field) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof JsonArray a && !a.isEmpty()) {
            List<String> out = new ArrayList<>(a.size());
            for (Object o : a) {
                if (!(o instanceof String s)) {
                    throw new MalformedPolicyException(field + " is not well-formed");
                }
                out.add(s);
            }
            return out;
        }
        throw new MalformedPolicyException(field + " is not well-formed");
    }
}
