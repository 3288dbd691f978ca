package dev.cairn.s3.iam.policy;

import dev.cairn.s3.iam.Principal;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a policy is evaluated against: who asks, the action, the resource ARN, and the condition
 * keys of the request (names lower case; a key absent from the map is absent from the request).
 * The principal's own keys (aws:username, aws:userid, aws:PrincipalType, aws:PrincipalArn,
 * aws:PrincipalAccount) are added from the principal.
 */
public record RequestContext(Principal principal, String action, String resource, Map<String, List<String>> keys) {

    public RequestContext {
        Map<String, List<String>> all = new HashMap<>();
        keys.forEach((k, v) -> all.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        switch (principal.type()) {
            case USER -> {
                all.put("aws:username", List.of(principal.userName()));
                all.put("aws:userid", List.of(principal.userId()));
                all.put("aws:principaltype", List.of("User"));
            }
            case ROOT -> {
                all.put("aws:userid", List.of(Principal.ACCOUNT_ID));
                all.put("aws:principaltype", List.of("Account"));
            }
            case ANONYMOUS -> all.put("aws:principaltype", List.of("Anonymous"));
        }
        if (!principal.isAnonymous()) {
            all.put("aws:principalarn", List.of(principal.arn()));
            all.put("aws:principalaccount", List.of(Principal.ACCOUNT_ID));
        }
        keys = Map.copyOf(all);
    }

    /** The values of condition key {@code name} (any case); null when the request has no such key. */
    public List<String> values(String name) {
        return keys.get(name.toLowerCase(Locale.ROOT));
    }

    /** The same request for another action and resource (a copy's source, a key of DeleteObjects). */
    public RequestContext with(String otherAction, String otherResource) {
        return new RequestContext(principal, otherAction, otherResource, keys);
    }
}
