package dev.cairn.s3.admin;

import dev.cairn.s3.iam.IamAccessKey;
import dev.cairn.s3.iam.IamException;
import dev.cairn.s3.iam.IamException.Code;
import dev.cairn.s3.iam.IamService;
import dev.cairn.s3.iam.IamUser;
import dev.cairn.s3.iam.InlinePolicy;
import dev.cairn.s3.iam.ManagedPolicy;
import dev.cairn.s3.iam.Principal;
import dev.cairn.s3.iam.policy.PolicyDocument;
import dev.cairn.s3.xml.IamDocuments;
import dev.cairn.s3.xml.XmlWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The IAM actions Cairn serves, each from its form parameters to the resource it needs
 * permission on and the work that answers it (run on a worker: it may write the identity
 * table). An unknown action is InvalidAction, as IAM answers it.
 */
final class IamActions {
    private final IamService service;

    IamActions(IamService service) {
        this.service = service;
    }

    /** One call: the ARN authorization is checked against, and the work, whose result writes the Result element. */
    record Call(String resource, Supplier<Consumer<XmlWriter>> work) {
        Consumer<XmlWriter> run() {
            return work.get();
        }
    }

    List<PolicyDocument> policiesOf(Principal p) {
        return p.userName() == null ? List.of() : service.snapshot().policiesOf(p.userName());
    }

    Call call(String action, Map<String, String> q, Principal caller) {
        String user = q.get("UserName");
        return switch (action) {
            case "CreateUser" -> new Call(userArn(required(q, "UserName")), () -> {
                IamUser u = service.createUser(user, q.get("Path"));
                return w -> IamDocuments.user(w, "User", u);
            });
            case "GetUser" -> getUser(user, caller);
            case "ListUsers" -> new Call(userArn("*"), () -> {
                String prefix = q.getOrDefault("PathPrefix", "/");
                List<IamUser> users = service.snapshot().users().stream().filter(u -> u.path().startsWith(prefix))
                        .toList();
                return w -> IamDocuments.users(w, users);
            });
            case "DeleteUser" -> new Call(userArn(required(q, "UserName")), () -> {
                service.deleteUser(user);
                return null;
            });
            case "CreateAccessKey" -> keyCall(user, caller, name -> {
                IamAccessKey key = service.createAccessKey(name);
                return w -> IamDocuments.accessKey(w, key);
            });
            case "ListAccessKeys" -> listAccessKeys(user, caller);
            case "UpdateAccessKey" -> {
                String id = required(q, "AccessKeyId");
                boolean active = status(required(q, "Status"));
                yield keyCall(user, caller, name -> {
                    service.updateAccessKey(name, id, active);
                    return null;
                });
            }
            case "DeleteAccessKey" -> {
                String id = required(q, "AccessKeyId");
                yield keyCall(user, caller, name -> {
                    service.deleteAccessKey(name, id);
                    return null;
                });
            }
            case "PutUserPolicy" -> new Call(userArn(required(q, "UserName")), () -> {
                service.putUserPolicy(user, required(q, "PolicyName"), required(q, "PolicyDocument"));
                return null;
            });
            case "GetUserPolicy" -> new Call(userArn(required(q, "UserName")), () -> {
                InlinePolicy p = service.userPolicy(user, required(q, "PolicyName"));
                String name = service.user(user).name();
                return w -> IamDocuments.userPolicy(w, name, p.name(), p.document());
            });
            case "ListUserPolicies" -> new Call(userArn(required(q, "UserName")), () -> {
                service.user(user);
                List<String> names = service.snapshot().inlinePolicies(user).values().stream()
                        .map(InlinePolicy::name).toList();
                return w -> IamDocuments.names(w, "PolicyNames", names);
            });
            case "DeleteUserPolicy" -> new Call(userArn(required(q, "UserName")), () -> {
                service.deleteUserPolicy(user, required(q, "PolicyName"));
                return null;
            });
            case "CreatePolicy" -> {
                String name = required(q, "PolicyName");
                String path = q.getOrDefault("Path", "/");
                yield new Call(ManagedPolicy.arn(path, name), () -> {
                    ManagedPolicy p = service.createPolicy(name, q.get("Path"), required(q, "PolicyDocument"),
                            q.get("Description"));
                    return w -> IamDocuments.policy(w, "Policy", p);
                });
            }
            case "GetPolicy" -> policyCall(q, p -> w -> IamDocuments.policy(w, "Policy", p));
            case "GetPolicyVersion" -> {
                String version = required(q, "VersionId");
                yield policyCall(q, p -> {
                    if (!ManagedPolicy.VERSION_ID.equals(version)) {
                        throw new IamException(Code.NO_SUCH_ENTITY, "Policy " + p.arn() + " version " + version
                                + " does not exist or is not attachable.");
                    }
                    return w -> IamDocuments.policyVersion(w, p);
                });
            }
            case "ListPolicies" -> new Call("arn:aws:iam::" + Principal.ACCOUNT_ID + ":policy/*", () -> {
                String scope = q.getOrDefault("Scope", "All");
                boolean onlyAttached = "true".equalsIgnoreCase(q.get("OnlyAttached"));
                String prefix = q.getOrDefault("PathPrefix", "/");
                List<ManagedPolicy> all = scope.equals("AWS") ? List.of() : service.snapshot().managedPolicies()
                        .stream().filter(p -> p.path().startsWith(prefix) && (!onlyAttached || p.attachments() > 0))
                        .toList();
                return w -> IamDocuments.policies(w, all);
            });
            case "DeletePolicy" -> policyCall(q, p -> {
                service.deletePolicy(p.arn());
                return null;
            });
            case "AttachUserPolicy" -> new Call(userArn(required(q, "UserName")), () -> {
                service.attachUserPolicy(user, required(q, "PolicyArn"));
                return null;
            });
            case "DetachUserPolicy" -> new Call(userArn(required(q, "UserName")), () -> {
                service.detachUserPolicy(user, required(q, "PolicyArn"));
                return null;
            });
            case "ListAttachedUserPolicies" -> new Call(userArn(required(q, "UserName")), () -> {
                List<ManagedPolicy> attached = service.attachedPolicies(user);
                return w -> IamDocuments.attached(w, attached);
            });
            default -> throw new IamException(Code.INVALID_ACTION, "The action " + action
                    + " is not valid for this web service.");
        };
    }

    private Call getUser(String user, Principal caller) {
        if (user == null && caller.isRoot()) {
            return new Call("arn:aws:iam::" + Principal.ACCOUNT_ID + ":root", () -> w -> w.start("User")
                    .element("UserId", Principal.ACCOUNT_ID).element("Arn", caller.arn()).end());
        }
        String name = user != null ? user : caller.userName();
        return new Call(userArn(name), () -> {
            IamUser u = service.user(name);
            return w -> IamDocuments.user(w, "User", u);
        });
    }

    private Call listAccessKeys(String user, Principal caller) {
        if (user == null && caller.isRoot()) {
            return new Call("arn:aws:iam::" + Principal.ACCOUNT_ID + ":root", () -> w -> {
                w.start("AccessKeyMetadata").start("member").element("AccessKeyId", caller.accessKeyId())
                        .element("Status", "Active").end().end().element("IsTruncated", false);
            });
        }
        String name = user != null ? user : caller.userName();
        return new Call(userArn(name), () -> {
            List<IamAccessKey> keys = new ArrayList<>(service.accessKeys(name));
            String display = service.user(name).name();
            return w -> IamDocuments.accessKeys(w, display, keys);
        });
    }

    /** A call on the access keys of the named user, or of the calling user when none is named. */
    private Call keyCall(String user, Principal caller, java.util.function.Function<String, Consumer<XmlWriter>> work) {
        String name = user != null ? user : caller.userName();
        if (name == null) {
            throw new IamException(Code.INVALID_INPUT, "Cairn's root access key is set by the server's configuration "
                    + "(CAIRN_ROOT_ACCESS_KEY, CAIRN_ROOT_SECRET_KEY); name a user with UserName.");
        }
        return new Call(userArn(name), () -> work.apply(name));
    }

    private Call policyCall(Map<String, String> q, java.util.function.Function<ManagedPolicy, Consumer<XmlWriter>> work) {
        String arn = required(q, "PolicyArn");
        return new Call(arn, () -> work.apply(service.policy(arn)));
    }

    private static boolean status(String value) {
        return switch (value) {
            case "Active" -> true;
            case "Inactive" -> false;
            default -> throw new IamException(Code.VALIDATION_ERROR, "1 validation error detected: Value '" + value
                    + "' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]");
        };
    }

    private static String required(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) {
            throw new IamException(Code.MISSING_PARAMETER, "The request must contain the parameter " + name + ".");
        }
        return v;
    }

    private static String userArn(String name) {
        return Principal.userArn(name);
    }
}
