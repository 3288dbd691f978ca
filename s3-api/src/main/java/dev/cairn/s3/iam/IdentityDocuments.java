package dev.cairn.s3.iam;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * The JSON documents of the identity table's rows (the metadata store keeps them as opaque
 * bytes behind its own version byte). Every document carries {@code "v": 1}; a reader meeting a
 * later version refuses it rather than guess.
 */
public final class IdentityDocuments {
    private static final int VERSION = 1;

    private IdentityDocuments() {
    }

    public static byte[] user(IamUser u) {
        return bytes(new JsonObject().put("v", VERSION).put("name", u.name()).put("id", u.id()).put("path", u.path())
                .put("created", u.createdMillis()).put("generation", u.generation()));
    }

    public static IamUser user(byte[] doc) {
        JsonObject j = read(doc);
        return new IamUser(j.getString("name"), j.getString("id"), j.getString("path"), j.getLong("created"),
                j.getLong("generation"));
    }

    public static byte[] accessKey(IamAccessKey k) {
        return bytes(new JsonObject().put("v", VERSION).put("id", k.id()).put("user", k.userName())
                .put("secret", k.secret()).put("active", k.active()).put("created", k.createdMillis()));
    }

    public static IamAccessKey accessKey(byte[] doc) {
        JsonObject j = read(doc);
        return new IamAccessKey(j.getString("id"), j.getString("user"), j.getString("secret"), j.getBoolean("active"),
                j.getLong("created"));
    }

    public static byte[] managedPolicy(ManagedPolicy p) {
        return bytes(new JsonObject().put("v", VERSION).put("name", p.name()).put("id", p.id()).put("path", p.path())
                .put("document", p.document()).put("description", p.description()).put("created", p.createdMillis())
                .put("attachments", p.attachments()));
    }

    public static ManagedPolicy managedPolicy(byte[] doc) {
        JsonObject j = read(doc);
        return new ManagedPolicy(j.getString("name"), j.getString("id"), j.getString("path"), j.getString("document"),
                j.getString("description"), j.getLong("created"), j.getInteger("attachments"));
    }

    /** An inline user policy: its name (as given) and document. */
    public static byte[] inlinePolicy(InlinePolicy p) {
        return bytes(new JsonObject().put("v", VERSION).put("name", p.name()).put("document", p.document()));
    }

    public static InlinePolicy inlinePolicy(byte[] doc) {
        JsonObject j = read(doc);
        return new InlinePolicy(j.getString("name"), j.getString("document"));
    }

    /** The marker of a managed policy attached to a user. */
    public static byte[] attachment(String policyArn) {
        return bytes(new JsonObject().put("v", VERSION).put("arn", policyArn));
    }

    public static String attachment(byte[] doc) {
        return read(doc).getString("arn");
    }

    public static byte[] quota(Quota q) {
        return bytes(new JsonObject().put("v", VERSION).put("maxBytes", q.maxBytes()).put("maxObjects", q.maxObjects()));
    }

    public static Quota quota(byte[] doc) {
        JsonObject j = read(doc);
        return new Quota(j.getLong("maxBytes"), j.getLong("maxObjects"));
    }

    private static byte[] bytes(JsonObject j) {
        return j.encode().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject read(byte[] doc) {
        JsonObject j = new JsonObject(new String(doc, StandardCharsets.UTF_8));
        Integer v = j.getInteger("v");
        if (v == null || v != VERSION) {
            throw new IllegalStateException("identity document of unknown version " + v);
        }
        return j;
    }
}
