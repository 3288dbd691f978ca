package dev.cairn.tools;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/**
 * {@code cairn admin key create|list|rotate}: the keyring of key-encryption keys (SSE-KMS keys
 * and the internal SSE-S3 key), each wrapped by the master key; kept in metadata, so any gateway
 * of a replicated cluster answers for the same keyring.
 */
@Command(name = "key", description = "The keyring that SSE-KMS key ids name (and SSE-S3 uses), wrapped by the "
        + "master key.", subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Rotate.class})
final class KeyCommand {
    @ParentCommand
    AdminCommand admin;

    @Command(name = "create", description = "Create a key for SSE-KMS; prints its id "
            + "(x-amz-server-side-encryption-aws-kms-key-id).")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        KeyCommand key;

        @Override
        public Integer call() {
            return key.admin.print(key.admin.client().send("POST", "/admin/keys", ""),
                    (j, out) -> out.println(j.getString("id")));
        }
    }

    @Command(name = "list", description = "The master keys the server holds and the keyring's keys.")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeyCommand key;

        @Override
        public Integer call() {
            return key.admin.print(key.admin.client().get("/admin/keys"), (j, out) -> {
                j.getJsonArray("masterKeys").forEach(m -> out.printf("master %s%s%n",
                        ((JsonObject) m).getString("id"), ((JsonObject) m).getBoolean("active") ? " (active)" : ""));
                j.getJsonArray("keys").forEach(k -> out.printf("key %s  %s  wrapped by %s%n",
                        ((JsonObject) k).getString("id"), ((JsonObject) k).getString("use"),
                        ((JsonObject) k).getString("wrappedBy")));
                if (j.getString("mismatch") != null) {
                    out.printf("MISMATCH: %s%n", j.getString("mismatch"));
                }
            });
        }
    }

    @Command(name = "rotate", description = "Re-wrap every keyring key (and so every data key under it) with the "
            + "active master key - the last one in the key file. Afterwards older master keys can be removed.")
    static final class Rotate implements Callable<Integer> {
        @ParentCommand
        KeyCommand key;

        @Override
        public Integer call() {
            return key.admin.print(key.admin.client().send("POST", "/admin/keys/rotate", ""),
                    (j, out) -> out.printf("re-wrapped %d of %d keyring key(s) under master key %s%n",
                            j.getInteger("rewrapped"), j.getInteger("keys"), j.getString("activeMasterKey")));
        }
    }
}
