package dev.cairn.tools;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code cairn admin user ...}: Cairn's users, their access keys, inline policies and quotas, through
 * the admin API ({@code /admin/users}); the same operations as the IAM API on the admin port,
 * which {@code aws iam --endpoint-url http://HOST:9001} speaks.
 */
@Command(name = "user", description = "Users: create and delete them, their access keys, policies and quotas.",
        subcommands = {UserCommand.ListUsers.class, UserCommand.Show.class, UserCommand.Create.class,
                UserCommand.Delete.class, UserCommand.Key.class, UserCommand.Policy.class, UserCommand.Quota.class})
final class UserCommand implements Callable<Integer> {
    @ParentCommand
    AdminCommand admin;

    /** {@code cairn admin user} alone lists the users. */
    @Override
    public Integer call() {
        return admin.print(admin.client().get("/admin/users"), UserCommand::users);
    }

    static void users(JsonObject json, PrintWriter out) {
        out.printf("%-24s %-22s %5s %-28s %s%n", "USER", "ID", "KEYS", "QUOTA", "STORED");
        JsonArray users = json.getJsonArray("users");
        for (int i = 0; i < users.size(); i++) {
            JsonObject u = users.getJsonObject(i);
            JsonObject use = u.getJsonObject("usage");
            out.printf("%-24s %-22s %5d %-28s %s in %d objects%n", u.getString("name"), u.getString("id"),
                    u.getJsonArray("accessKeys").size(), quota(u.getJsonObject("quota")),
                    Units.bytes(use.getLong("bytes")), use.getLong("objects"));
        }
        out.printf("%d user(s)%n", users.size());
    }

    static void user(JsonObject u, PrintWriter out) {
        JsonObject use = u.getJsonObject("usage");
        out.printf("user:      %s (%s)%n", u.getString("name"), u.getString("id"));
        out.printf("arn:       %s%n", u.getString("arn"));
        out.printf("canonical: %s%n", u.getString("canonicalId"));
        out.printf("created:   %s%n", u.getString("created"));
        JsonArray keys = u.getJsonArray("accessKeys");
        for (int i = 0; i < keys.size(); i++) {
            JsonObject k = keys.getJsonObject(i);
            out.printf("key:       %s %s (since %s)%n", k.getString("accessKeyId"), k.getString("status"),
                    k.getString("created"));
        }
        out.printf("policies:  %s%n", u.getJsonArray("policies").isEmpty() ? "-" : u.getJsonArray("policies")
                .encode());
        if (!u.getJsonArray("attachedPolicies").isEmpty()) {
            out.printf("attached:  %s%n", u.getJsonArray("attachedPolicies").encode());
        }
        out.printf("quota:     %s%n", quota(u.getJsonObject("quota")));
        out.printf("stored:    %s in %d objects%n", Units.bytes(use.getLong("bytes")), use.getLong("objects"));
    }

    static String quota(JsonObject q) {
        Long bytes = q.getLong("maxBytes");
        Long objects = q.getLong("maxObjects");
        if (bytes == null && objects == null) {
            return "none";
        }
        return (bytes == null ? "any size" : Units.bytes(bytes)) + ", " + (objects == null ? "any number of objects"
                : objects + " objects");
    }

    private static String path(String name) {
        return "/admin/users/" + name;
    }

    @Command(name = "list", description = "List the users: keys, quota and what each stores.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;

        @Override
        public Integer call() {
            return parent.call();
        }
    }

    @Command(name = "show", description = "One user: its ARN, canonical id, keys, policies, quota and usage.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;
        @Parameters(paramLabel = "USER")
        String name;

        @Override
        public Integer call() {
            return parent.admin.print(parent.admin.client().get(path(name)), UserCommand::user);
        }
    }

    @Command(name = "create", description = "Create a user (it owns the buckets it creates).")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;
        @Parameters(paramLabel = "USER")
        String name;
        @Option(names = "--with-key", description = "Also create an access key and print its secret (shown once).")
        boolean withKey;

        @Override
        public Integer call() {
            AdminClient client = parent.admin.client();
            JsonObject user = client.send("POST", "/admin/users", new JsonObject().put("name", name).encode());
            if (!withKey) {
                return parent.admin.print(user, UserCommand::user);
            }
            JsonObject key = client.send("POST", path(name) + "/keys", null);
            return parent.admin.print(new JsonObject().put("user", user).put("accessKey", key), (j, out) -> {
                user(user, out);
                Key.created(key, out);
            });
        }
    }

    @Command(name = "delete", description = "Delete a user (with --force its access keys and policies first).")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;
        @Parameters(paramLabel = "USER")
        String name;
        @Option(names = "--force", description = "Delete the user's access keys and policies too.")
        boolean force;

        @Override
        public Integer call() {
            return parent.admin.print(parent.admin.client().send("DELETE", path(name) + (force ? "?force=true" : ""),
                    null), (j, out) -> out.printf("deleted user %s%n", name));
        }
    }

    @Command(name = "key", description = "A user's access keys: create, activate, deactivate, delete.")
    static final class Key implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;
        @Parameters(index = "0", paramLabel = "create|activate|deactivate|delete")
        String verb;
        @Parameters(index = "1", paramLabel = "USER")
        String name;
        @Parameters(index = "2", arity = "0..1", paramLabel = "KEY_ID")
        String keyId;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            AdminClient client = parent.admin.client();
            if (verb.equals("create")) {
                return parent.admin.print(client.send("POST", path(name) + "/keys", null), Key::created);
            }
            if (keyId == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "name the KEY_ID to " + verb);
            }
            String key = path(name) + "/keys/" + keyId;
            return switch (verb) {
                case "activate", "deactivate" -> parent.admin.print(client.send("PUT", key, new JsonObject()
                        .put("active", verb.equals("activate")).encode()), (j, out) -> out.printf("%s is %s%n",
                        keyId, j.getString("status")));
                case "delete" -> parent.admin.print(client.send("DELETE", key, null),
                        (j, out) -> out.printf("deleted access key %s%n", keyId));
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "unknown key command " + verb
                        + ": create, activate, deactivate or delete");
            };
        }

        static void created(JsonObject k, PrintWriter out) {
            out.printf("access key: %s%n", k.getString("accessKeyId"));
            out.printf("secret key: %s%n", k.getString("secretAccessKey"));
            out.println("(the secret is shown only now)");
        }
    }

    @Command(name = "policy", description = "A user's inline policies: put one from a file (- for standard input) "
            + "or delete one.")
    static final class Policy implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;
        @Parameters(index = "0", paramLabel = "put|delete")
        String verb;
        @Parameters(index = "1", paramLabel = "USER")
        String name;
        @Parameters(index = "2", paramLabel = "POLICY")
        String policy;
        @Parameters(index = "3", arity = "0..1", paramLabel = "FILE")
        Path file;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String where = path(name) + "/policies/" + policy;
            if (verb.equals("delete")) {
                return parent.admin.print(parent.admin.client().send("DELETE", where, null),
                        (j, out) -> out.printf("deleted policy %s of %s%n", policy, name));
            }
            if (!verb.equals("put") || file == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "use: policy put USER POLICY FILE, "
                        + "or policy delete USER POLICY");
            }
            String document = file.toString().equals("-") ? new String(System.in.readAllBytes(),
                    StandardCharsets.UTF_8) : Files.readString(file);
            return parent.admin.print(parent.admin.client().send("PUT", where, document), UserCommand::user);
        }
    }

    @Command(name = "quota", description = "Show or set a user's quota over every bucket it owns.")
    static final class Quota implements Callable<Integer> {
        @ParentCommand
        UserCommand parent;
        @Parameters(paramLabel = "USER")
        String name;
        @CommandLine.Mixin
        QuotaOptions limits;

        @Override
        public Integer call() {
            AdminClient client = parent.admin.client();
            JsonObject answer = limits.given() ? client.send("PUT", path(name) + "/quota", limits.body().encode())
                    : client.get(path(name));
            return parent.admin.print(answer, UserCommand::user);
        }
    }

    /** {@code --max-bytes SIZE|none} and {@code --max-objects N|none}. */
    static final class QuotaOptions {
        @Option(names = "--max-bytes", paramLabel = "SIZE|none", description = "At most this much data (e.g. 10GiB).")
        String maxBytes;
        @Option(names = "--max-objects", paramLabel = "N|none", description = "At most this many objects.")
        String maxObjects;

        boolean given() {
            return maxBytes != null || maxObjects != null;
        }

        /** The new quota; a limit not given is none. */
        JsonObject body() {
            return new JsonObject().put("maxBytes", limit(maxBytes, true)).put("maxObjects", limit(maxObjects, false));
        }

        private static Long limit(String v, boolean size) {
            if (v == null || v.equalsIgnoreCase("none")) {
                return null;
            }
            try {
                return size ? Units.parseSize(v) : Long.parseLong(v.trim());
            } catch (IllegalArgumentException e) {
                throw new CliFailure(Cairn.USAGE, "'" + v + "' is not " + (size ? "a size" : "a number") + " or none");
            }
        }
    }
}
