package dev.cairn.s3.iam;

import dev.cairn.metadata.IdentityKey;
import dev.cairn.metadata.IdentityRow;
import dev.cairn.s3.iam.policy.MalformedPolicyException;
import dev.cairn.s3.iam.policy.PolicyDocument;
import dev.cairn.s3.iam.policy.PolicyParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable view of the identity table, built from its rows: users (by lower-case name, as IAM
 * names are unique regardless of case), access keys (by id), each user's inline and attached
 * policies, managed policies and user quotas, plus what authorization needs ready-made: each
 * user's parsed identity policies and the user owning a canonical id.
 */
public final class IdentitySnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(IdentitySnapshot.class);
    static final IdentitySnapshot EMPTY = new IdentitySnapshot(List.of());

    private final Map<String, IamUser> users = new TreeMap<>();
    private final Map<String, IamAccessKey> keys = new HashMap<>();
    private final Map<String, Map<String, InlinePolicy>> inline = new HashMap<>();
    private final Map<String, ManagedPolicy> managed = new TreeMap<>();
    private final Map<String, List<String>> attached = new HashMap<>();
    private final Map<String, Quota> quotas = new HashMap<>();
    private final Map<String, IamUser> byCanonicalId = new HashMap<>();
    private final Map<String, List<PolicyDocument>> policies = new HashMap<>();
    private final Map<IdentityKey, byte[]> rows = new HashMap<>();

    IdentitySnapshot(List<IdentityRow> all) {
        for (IdentityRow r : all) {
            IdentityKey k = r.key();
            rows.put(k, r.document());
            switch (k.kind()) {
                case USER -> users.put(k.name(), IdentityDocuments.user(r.document()));
                case ACCESS_KEY -> keys.put(k.member(), IdentityDocuments.accessKey(r.document()));
                case USER_POLICY -> inline.computeIfAbsent(k.name(), n -> new TreeMap<>())
                        .put(k.member(), IdentityDocuments.inlinePolicy(r.document()));
                case MANAGED_POLICY -> managed.put(k.name(), IdentityDocuments.managedPolicy(r.document()));
                case ATTACHED_POLICY -> attached.computeIfAbsent(k.name(), n -> new ArrayList<>()).add(k.member());
                case USER_QUOTA -> quotas.put(k.name(), IdentityDocuments.quota(r.document()));
            }
        }
        for (IamUser u : users.values()) {
            byCanonicalId.put(u.canonicalId(), u);
            List<PolicyDocument> docs = new ArrayList<>();
            inline.getOrDefault(lower(u.name()), Map.of()).values().forEach(p -> parse(u, p.name(), p.document(), docs));
            for (String p : attached.getOrDefault(lower(u.name()), List.of())) {
                ManagedPolicy mp = managed.get(p);
                if (mp != null) {
                    parse(u, mp.name(), mp.document(), docs);
                }
            }
            policies.put(lower(u.name()), List.copyOf(docs));
        }
    }

    private static void parse(IamUser u, String name, String doc, List<PolicyDocument> into) {
        try {
            into.add(PolicyParser.identityPolicy(doc));
        } catch (MalformedPolicyException e) {
            // stored documents were validated; one that no longer parses grants nothing
            LOG.warn("policy {} of user {} does not parse any more and is ignored: {}", name, u.name(), e.getMessage());
        }
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public IamUser user(String name) {
        return users.get(lower(name));
    }

    public List<IamUser> users() {
        return List.copyOf(users.values());
    }

    public IamUser userByCanonicalId(String canonicalId) {
        return byCanonicalId.get(canonicalId);
    }

    public IamAccessKey accessKey(String id) {
        return keys.get(id);
    }

    /** The user's access keys, oldest first. */
    public List<IamAccessKey> accessKeys(String userName) {
        List<IamAccessKey> out = new ArrayList<>();
        for (IamAccessKey k : keys.values()) {
            if (lower(k.userName()).equals(lower(userName))) {
                out.add(k);
            }
        }
        out.sort((a, b) -> a.createdMillis() != b.createdMillis() ? Long.compare(a.createdMillis(), b.createdMillis())
                : a.id().compareTo(b.id()));
        return out;
    }

    /** The user's inline policies by lower-case name (in name order). */
    public Map<String, InlinePolicy> inlinePolicies(String userName) {
        return Collections.unmodifiableMap(inline.getOrDefault(lower(userName), Map.of()));
    }

    public ManagedPolicy managedPolicy(String name) {
        return managed.get(lower(name));
    }

    public List<ManagedPolicy> managedPolicies() {
        return List.copyOf(managed.values());
    }

    /** The (lower-case) names of the managed policies attached to the user. */
    public List<String> attachedPolicies(String userName) {
        return List.copyOf(attached.getOrDefault(lower(userName), List.of()));
    }

    public Quota userQuota(String userName) {
        return quotas.getOrDefault(lower(userName), Quota.NONE);
    }

    /** The identity policies (inline and attached) of a user, parsed. */
    public List<PolicyDocument> policiesOf(String userName) {
        return policies.getOrDefault(lower(userName), List.of());
    }

    /** The stored document of a row (for compare-and-set); null when absent. */
    byte[] row(IdentityKey key) {
        byte[] r = rows.get(key);
        return r == null ? null : r.clone();
    }
}
