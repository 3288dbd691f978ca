package dev.cairn.s3.admin;

import dev.cairn.s3.crypto.DataProtection;
import dev.cairn.s3.crypto.KeyRing;
import dev.cairn.s3.crypto.MasterKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The keyring's admin routes: {@code GET /admin/keys} (master key ids, keyring keys and which
 * master key wraps each), {@code POST /admin/keys} (a new SSE-KMS key) and
 * {@code POST /admin/keys/rotate} (re-wrap every keyring key under the active master key, after
 * which the older master keys can be dropped from the key file).
 */
final class KeyAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(KeyAdmin.class);
    private final DataProtection protection;
    private final ExecutorService pool;

    KeyAdmin(DataProtection protection, ExecutorService pool) {
        this.protection = protection;
        this.pool = pool;
    }

    void list(RoutingContext ctx) {
        run(ctx, 200, () -> {
            MasterKeys master = protection.keys().master();
            KeyRing ring = protection.keys().keyring();
            JsonArray masters = new JsonArray();
            master.ids().forEach(id -> masters.add(new JsonObject().put("id", id)
                    .put("active", id.equals(master.activeId()))));
            JsonArray keys = new JsonArray();
            ring.ids().forEach(id -> keys.add(new JsonObject().put("id", id).put("wrappedBy", ring.wrappedBy(id))
                    .put("use", id.equals(KeyRing.SSE_S3) ? "SSE-S3" : "SSE-KMS")));
            return new JsonObject().put("masterKeys", masters).put("keys", keys)
                    .put("keyringMasterKey", ring.state().masterId()).put("mismatch", ring.mismatch());
        });
    }

    void create(RoutingContext ctx) {
        run(ctx, 201, () -> {
            String id = protection.keys().keyring().create();
            LOG.info("keyring key {} created", id);
            return new JsonObject().put("id", id);
        });
    }

    void rotate(RoutingContext ctx) {
        run(ctx, 200, () -> {
            int n = protection.keys().keyring().rewrap();
            String active = protection.keys().master().activeId();
            LOG.info("keyring re-wrapped under master key {}: {} key(s) changed", active, n);
            return new JsonObject().put("activeMasterKey", active).put("rewrapped", n)
                    .put("keys", protection.keys().keyring().ids().size());
        });
    }

    private void run(RoutingContext ctx, int status, Supplier<JsonObject> work) {
        if (!protection.keys().master().present()) {
            AdminJson.error(ctx, 409, "NoMasterKey", "the server was started without a master key "
                    + "(--master-key-file or CAIRN_MASTER_KEY): there is no keyring");
            return;
        }
        CompletableFuture.supplyAsync(work, pool).whenComplete((json, e) -> ctx.vertx().runOnContext(v -> {
            if (e != null) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                if (cause instanceof IllegalStateException && protection.keys().keyring().mismatch() != null) {
                    AdminJson.error(ctx, 409, "MasterKeyMismatch", cause.getMessage());
                    return;
                }
                if (cause instanceof dev.cairn.metadata.MetadataException.Unavailable) {
                    AdminJson.error(ctx, 503, "MetadataUnavailable", cause.getMessage());
                    return;
                }
                AdminJson.error(ctx, 500, "internal", cause.getMessage());
            } else {
                AdminJson.send(ctx, status, json);
            }
        }));
    }
}
