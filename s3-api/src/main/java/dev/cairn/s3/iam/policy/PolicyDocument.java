package dev.cairn.s3.iam.policy;

import java.util.List;

/**
 * A parsed, valid IAM policy document (identity policy or bucket policy): its version and its
 * statements. {@link PolicyParser} builds it; {@link PolicyEvaluator} decides with it.
 */
public record PolicyDocument(String version, List<Statement> statements) {
    public static final String CURRENT_VERSION = "2012-10-17";
    public static final String OLD_VERSION = "2008-10-17";

    public PolicyDocument {
        statements = List.copyOf(statements);
    }

    /** Policy variables (${aws:username}...) are substituted only in documents of the current version. */
    public boolean substitutesVariables() {
        return CURRENT_VERSION.equals(version);
    }

    public enum Effect { ALLOW, DENY }

    /**
     * One statement. {@code principal} is null in identity policies (they apply to whom they are
     * attached to); with {@code notPrincipal} it names who the statement does NOT apply to.
     * Likewise {@code notAction} and {@code notResource} invert their lists.
     */
    public record Statement(String sid, Effect effect, Principals principal, boolean notPrincipal,
                            List<String> actions, boolean notAction, List<String> resources, boolean notResource,
                            List<Condition> conditions) {
        public Statement {
            actions = List.copyOf(actions);
            resources = List.copyOf(resources);
            conditions = List.copyOf(conditions);
        }
    }

    /**
     * A Principal element: {@code anyone} for "*" (or {"AWS": "*"}), else the AWS ARNs or account
     * ids and the canonical user ids it names; other kinds (Service, Federated) are kept in
     * {@code others} and never match a Cairn caller.
     */
    public record Principals(boolean anyone, List<String> aws, List<String> canonicalUsers, List<String> others) {
        public static final Principals ANYONE = new Principals(true, List.of(), List.of(), List.of());

        public Principals {
            aws = List.copyOf(aws);
            canonicalUsers = List.copyOf(canonicalUsers);
            others = List.copyOf(others);
        }
    }

    /** How a condition treats a key with several values in the request (ForAnyValue:, ForAllValues:). */
    public enum SetQualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    /** One key test of a Condition block: operator, qualifier, IfExists, the key (lower case) and the policy's values. */
    public record Condition(ConditionOperator operator, SetQualifier qualifier, boolean ifExists, String key,
                            List<String> values) {
        public Condition {
            values = List.copyOf(values);
        }
    }
}
