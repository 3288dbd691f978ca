package dev.cairn.s3.iam;

import dev.cairn.metadata.IdentityChange;
import dev.cairn.metadata.IdentityKey;
import dev.cairn.metadata.IdentityKey.Kind;
import dev.cairn.metadata.IdentityRow;
import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.s3.iam.IamException.Code;
import dev.cairn.s3.iam.policy.MalformedPolicyException;
import dev.cairn.s3.iam.policy.PolicyParser;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The identity operations behind the IAM API and {@code cairn admin user}: users, access keys,
 * inline and managed policies, attachments and user quotas. Each operation reads the in-memory
 * snapshot, decides everything (ids, secrets, times) and writes one compare-and-set
 * {@link IdentityChange} naming the rows it read; a change that lost a race is recomputed from a
 * fresh snapshot. Blocking (RocksDB): call on a worker thread. Writes of this process are
 * serialized, and the snapshot is reloaded after each.
 */
public final class IamService {
    /** AWS: a user has at most two access keys. */
    static final int MAX_KEYS_PER_USER = 2;
    /** AWS: at most ten managed policies attached to a user. */
    static final int MAX_ATTACHED_PER_USER = 10;
    /** AWS: a user's inline policies take at most 2,048 characters (whitespace not counted). */
    static final int MAX_INLINE_CHARS = 2048;
    /** AWS: a managed policy takes at most 6,144 characters (whitespace not counted). */
    static final int MAX_MANAGED_CHARS = 6144;
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern PATH = Pattern.compile("/|/[\\x21-\\x7E]{0,510}/");
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final int ATTEMPTS = 5;

    private final MetadataStore metadata;
    private final Identities identities;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Object writes = new Object();

    public IamService(MetadataStore metadata, Identities identities, Clock clock) {
        this.metadata = metadata;
        this.identities = identities;
        this.clock = clock;
    }

    public IdentitySnapshot snapshot() {
        return identities.snapshot();
    }

    // ---- users ----

    public IamUser createUser(String name, String path) {
        checkName(name, "userName");
        String p = path == null ? "/" : checkPath(path);
        return change(s -> {
            if (s.user(name) != null) {
                throw new IamException(Code.ENTITY_ALREADY_EXISTS, "User with name " + name + " already exists.");
            }
            IamUser user = new IamUser(name, newId("AIDA"), p, clock.millis(), 0);
            IdentityKey key = userKey(name);
            return new Planned<>(new IdentityChange(List.of(new IdentityRow(key, IdentityDocuments.user(user))), List.of(),
                    List.of(IdentityChange.Expected.absent(key))), user);
        });
    }

    public IamUser user(String name) {
        IamUser u = snapshot().user(name);
        if (u == null) {
            throw IamException.noSuchUser(name);
        }
        return u;
    }

    /** Deletes a user without access keys, inline policies or attached policies (else DeleteConflict, as AWS). */
    public void deleteUser(String name) {
        change(s -> {
            IamUser u = existing(s, name);
            if (!s.accessKeys(name).isEmpty()) {
                throw new IamException(Code.DELETE_CONFLICT, "Cannot delete entity, must delete access keys first.");
            }
            if (!s.inlinePolicies(name).isEmpty()) {
                throw new IamException(Code.DELETE_CONFLICT, "Cannot delete entity, must delete policies first.");
            }
            if (!s.attachedPolicies(name).isEmpty()) {
                throw new IamException(Code.DELETE_CONFLICT, "Cannot delete entity, must detach all policies first.");
            }
            List<IdentityKey> deletes = new ArrayList<>(List.of(userKey(name)));
            if (!s.userQuota(name).isNone()) {
                deletes.add(IdentityKey.of(Kind.USER_QUOTA, lower(name)));
            }
            return new Planned<>(new IdentityChange(List.of(), deletes, List.of(expect(s, userKey(u.name())))), null);
        });
    }

    // ---- access keys ----

    public IamAccessKey createAccessKey(String userName) {
        return change(s -> {
            IamUser u = existing(s, userName);
            if (s.accessKeys(userName).size() >= MAX_KEYS_PER_USER) {
                throw new IamException(Code.LIMIT_EXCEEDED, "Cannot exceed quota for AccessKeysPerUser: "
                        + MAX_KEYS_PER_USER);
            }
            String id;
            do {
                id = "AKIA" + random(UPPER, 16);
            } while (s.accessKey(id) != null || identities.lookup(id).isPresent());
            IamAccessKey key = new IamAccessKey(id, u.name(), random(SECRET, 40), true, clock.millis());
            IdentityKey row = IdentityKey.of(Kind.ACCESS_KEY, lower(u.name()), id);
            return new Planned<>(memberChange(s, u, List.of(new IdentityRow(row, IdentityDocuments.accessKey(key))),
                    List.of()), key);
        });
    }

    public void updateAccessKey(String userName, String keyId, boolean active) {
        change(s -> {
            IamUser u = existing(s, userName);
            IamAccessKey key = existingKey(s, u, keyId);
            IdentityKey row = IdentityKey.of(Kind.ACCESS_KEY, lower(u.name()), keyId);
            return new Planned<>(memberChange(s, u, List.of(new IdentityRow(row,
                    IdentityDocuments.accessKey(key.withActive(active)))), List.of()), null);
        });
    }

    public void deleteAccessKey(String userName, String keyId) {
        change(s -> {
            IamUser u = existing(s, userName);
            existingKey(s, u, keyId);
            return new Planned<>(memberChange(s, u, List.of(),
                    List.of(IdentityKey.of(Kind.ACCESS_KEY, lower(u.name()), keyId))), null);
        });
    }

    public List<IamAccessKey> accessKeys(String userName) {
        existing(snapshot(), userName);
        return snapshot().accessKeys(userName);
    }

    // ---- inline policies ----

    public void putUserPolicy(String userName, String policyName, String document) {
        checkPolicyName(policyName);
        checkDocument(document);
        change(s -> {
            IamUser u = existing(s, userName);
            int total = nonSpace(document);
            for (Map.Entry<String, InlinePolicy> p : s.inlinePolicies(userName).entrySet()) {
                if (!p.getKey().equals(lower(policyName))) {
                    total += nonSpace(p.getValue().document());
                }
            }
            if (total > MAX_INLINE_CHARS) {
                throw new IamException(Code.LIMIT_EXCEEDED, "Maximum policy size of " + MAX_INLINE_CHARS
                        + " bytes exceeded for user " + u.name());
            }
            IdentityKey row = IdentityKey.of(Kind.USER_POLICY, lower(u.name()), lower(policyName));
            return new Planned<>(memberChange(s, u, List.of(new IdentityRow(row,
                    IdentityDocuments.inlinePolicy(new InlinePolicy(policyName, document)))), List.of()), null);
        });
    }

    public InlinePolicy userPolicy(String userName, String policyName) {
        existing(snapshot(), userName);
        InlinePolicy doc = snapshot().inlinePolicies(userName).get(lower(policyName));
        if (doc == null) {
            throw new IamException(Code.NO_SUCH_ENTITY, "The user policy with name " + policyName
                    + " cannot be found.");
        }
        return doc;
    }

    public void deleteUserPolicy(String userName, String policyName) {
        change(s -> {
            IamUser u = existing(s, userName);
            if (!s.inlinePolicies(userName).containsKey(lower(policyName))) {
                throw new IamException(Code.NO_SUCH_ENTITY, "The user policy with name " + policyName
                        + " cannot be found.");
            }
            return new Planned<>(memberChange(s, u, List.of(), List.of(IdentityKey.of(Kind.USER_POLICY,
                    lower(u.name()), lower(policyName)))), null);
        });
    }

    // ---- managed policies ----

    public ManagedPolicy createPolicy(String name, String path, String document, String description) {
        checkPolicyName(name);
        checkDocument(document);
        if (nonSpace(document) > MAX_MANAGED_CHARS) {
            throw new IamException(Code.LIMIT_EXCEEDED, "Cannot exceed quota for PolicySize: " + MAX_MANAGED_CHARS);
        }
        String p = path == null ? "/" : checkPath(path);
        return change(s -> {
            if (s.managedPolicy(name) != null) {
                throw new IamException(Code.ENTITY_ALREADY_EXISTS, "A policy called " + name
                        + " already exists. Duplicate names are not allowed.");
            }
            ManagedPolicy policy = new ManagedPolicy(name, newId("ANPA"), p, document, description, clock.millis(), 0);
            IdentityKey key = IdentityKey.of(Kind.MANAGED_POLICY, lower(name));
            return new Planned<>(new IdentityChange(List.of(new IdentityRow(key, IdentityDocuments.managedPolicy(policy))),
                    List.of(), List.of(IdentityChange.Expected.absent(key))), policy);
        });
    }

    public ManagedPolicy policy(String arn) {
        return existingPolicy(snapshot(), arn);
    }

    public void deletePolicy(String arn) {
        change(s -> {
            ManagedPolicy p = existingPolicy(s, arn);
            if (p.attachments() > 0) {
                throw new IamException(Code.DELETE_CONFLICT, "Cannot delete a policy attached to entities.");
            }
            IdentityKey key = IdentityKey.of(Kind.MANAGED_POLICY, lower(p.name()));
            return new Planned<>(new IdentityChange(List.of(), List.of(key), List.of(expect(s, key))), null);
        });
    }

    public void attachUserPolicy(String userName, String arn) {
        change(s -> {
            IamUser u = existing(s, userName);
            ManagedPolicy p = existingPolicy(s, arn);
            List<String> attached = s.attachedPolicies(userName);
            if (attached.contains(lower(p.name()))) {
                return new Planned<>(null, null); // attaching again changes nothing, as on AWS
            }
            if (attached.size() >= MAX_ATTACHED_PER_USER) {
                throw new IamException(Code.LIMIT_EXCEEDED, "Cannot exceed quota for PoliciesPerUser: "
                        + MAX_ATTACHED_PER_USER);
            }
            return new Planned<>(attachment(s, u, p, true), null);
        });
    }

    public void detachUserPolicy(String userName, String arn) {
        change(s -> {
            IamUser u = existing(s, userName);
            ManagedPolicy p = existingPolicy(s, arn);
            if (!s.attachedPolicies(userName).contains(lower(p.name()))) {
                throw new IamException(Code.NO_SUCH_ENTITY, "Policy " + arn + " was not found.");
            }
            return new Planned<>(attachment(s, u, p, false), null);
        });
    }

    public List<ManagedPolicy> attachedPolicies(String userName) {
        existing(snapshot(), userName);
        List<ManagedPolicy> out = new ArrayList<>();
        for (String name : snapshot().attachedPolicies(userName)) {
            ManagedPolicy p = snapshot().managedPolicy(name);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    // ---- quotas ----

    /** Sets (Quota.NONE: removes) the storage quota of a user, over all the buckets it owns. */
    public void setUserQuota(String userName, Quota quota) {
        change(s -> {
            IamUser u = existing(s, userName);
            IdentityKey key = IdentityKey.of(Kind.USER_QUOTA, lower(u.name()));
            IdentityChange c = quota.isNone()
                    ? new IdentityChange(List.of(), List.of(key), List.of(expect(s, userKey(u.name()))))
                    : new IdentityChange(List.of(new IdentityRow(key, IdentityDocuments.quota(quota))), List.of(),
                    List.of(expect(s, userKey(u.name()))));
            return new Planned<>(c, null);
        });
    }

    // ---- the write path ----

    /** A change to write and what the operation answers once it is written. */
    private record Planned<T>(IdentityChange change, T result) {
    }

    private <T> T change(Function<IdentitySnapshot, Planned<T>> plan) {
        synchronized (writes) {
            for (int attempt = 1; ; attempt++) {
                Planned<T> p = plan.apply(identities.snapshot());
                if (p.change() == null) {
                    return p.result();
                }
                try {
                    metadata.writeIdentities(p.change());
                    identities.reload(metadata);
                    return p.result();
                } catch (MetadataException.PreconditionFailed raced) {
                    identities.reload(metadata); // another writer changed what we read: plan again
                    if (attempt >= ATTEMPTS) {
                        throw new IamException(Code.CONCURRENT_MODIFICATION,
                                "The request was rejected because multiple requests to change this object were "
                                        + "submitted simultaneously. Wait a few minutes and submit your request again.");
                    }
                }
            }
        }
    }

    /** A change of a user's member rows: bumps the user's generation, compare-and-set on its row. */
    private static IdentityChange memberChange(IdentitySnapshot s, IamUser u, List<IdentityRow> puts,
                                               List<IdentityKey> deletes) {
        IdentityKey userKey = userKey(u.name());
        List<IdentityRow> all = new ArrayList<>(puts);
        all.add(new IdentityRow(userKey, IdentityDocuments.user(u.next())));
        return new IdentityChange(all, deletes, List.of(expect(s, userKey)));
    }

    private static IdentityChange attachment(IdentitySnapshot s, IamUser u, ManagedPolicy p, boolean attach) {
        IdentityKey policyKey = IdentityKey.of(Kind.MANAGED_POLICY, lower(p.name()));
        IdentityKey row = IdentityKey.of(Kind.ATTACHED_POLICY, lower(u.name()), lower(p.name()));
        ManagedPolicy counted = p.withAttachments(p.attachments() + (attach ? 1 : -1));
        List<IdentityRow> puts = new ArrayList<>();
        puts.add(new IdentityRow(policyKey, IdentityDocuments.managedPolicy(counted)));
        puts.add(new IdentityRow(userKey(u.name()), IdentityDocuments.user(u.next())));
        if (attach) {
            puts.add(new IdentityRow(row, IdentityDocuments.attachment(p.arn())));
        }
        return new IdentityChange(puts, attach ? List.of() : List.of(row),
                List.of(expect(s, userKey(u.name())), expect(s, policyKey)));
    }

    private static IdentityChange.Expected expect(IdentitySnapshot s, IdentityKey key) {
        return new IdentityChange.Expected(key, s.row(key));
    }

    private static IdentityKey userKey(String name) {
        return IdentityKey.of(Kind.USER, lower(name));
    }

    private static IamUser existing(IdentitySnapshot s, String name) {
        if (name == null) {
            throw new IamException(Code.MISSING_PARAMETER, "The request must contain the parameter UserName.");
        }
        IamUser u = s.user(name);
        if (u == null) {
            throw IamException.noSuchUser(name);
        }
        return u;
    }

    private static IamAccessKey existingKey(IdentitySnapshot s, IamUser u, String keyId) {
        IamAccessKey key = keyId == null ? null : s.accessKey(keyId);
        if (key == null || !lower(key.userName()).equals(lower(u.name()))) {
            throw new IamException(Code.NO_SUCH_ENTITY, "The Access Key with id " + keyId + " cannot be found.");
        }
        return key;
    }

    private static ManagedPolicy existingPolicy(IdentitySnapshot s, String arn) {
        String prefix = "arn:aws:iam::" + Principal.ACCOUNT_ID + ":policy/";
        if (arn == null || !arn.startsWith(prefix)) {
            throw new IamException(Code.INVALID_INPUT, "ARN " + arn + " is not valid.");
        }
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        ManagedPolicy p = s.managedPolicy(name);
        if (p == null || !p.arn().equals(arn)) {
            throw new IamException(Code.NO_SUCH_ENTITY, "Policy " + arn + " does not exist or is not attachable.");
        }
        return p;
    }

    private static void checkName(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw IamException.validation(String.valueOf(name), field,
                    "Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length at most 64");
        }
    }

    private static void checkPolicyName(String name) {
        if (name == null || !POLICY_NAME.matcher(name).matches()) {
            throw IamException.validation(String.valueOf(name), "policyName",
                    "Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length at most 128");
        }
    }

    private static String checkPath(String path) {
        if (!PATH.matcher(path).matches()) {
            throw IamException.validation(path, "path", "Member must satisfy regular expression pattern: "
                    + "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
        }
        return path;
    }

    private static void checkDocument(String document) {
        try {
            PolicyParser.identityPolicy(document);
        } catch (MalformedPolicyException e) {
            throw new IamException(Code.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
    }

    private static int nonSpace(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    private String newId(String prefix) {
        return prefix + random(UPPER, 17);
    }

    private String random(String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    static String lower(String s) {
        return IdentitySnapshot.lower(s);
    }
}
