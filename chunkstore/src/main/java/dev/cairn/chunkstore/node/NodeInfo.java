package dev.cairn.chunkstore.node;

import io.vertx.core.json.JsonObject;

/**
 * What {@code GET /v1/info} reports: the node's id, zone (null when undeclared), capacity in bytes
 * (0 = unlimited), bytes used and number of pieces.
 */
public record NodeInfo(String nodeId, String zone, long capacity, long used, long pieces) {

    public JsonObject toJson() {
        return new JsonObject()
                .put("nodeId", nodeId)
                .put("zone", zone)
                .put("capacity", capacity)
                .put("used", used)
                .put("pieces", pieces);
    }

    /** @throws IllegalArgumentException when a field is missing or of the wrong type */
    public static NodeInfo fromJson(JsonObject json) {
        try {
            String id = json.getString("nodeId");
            Long capacity = json.getLong("capacity");
            Long used = json.getLong("used");
            Long pieces = json.getLong("pieces");
            if (id == null || capacity == null || used == null || pieces == null) {
                throw new IllegalArgumentException("node info lacks a field: " + json.encode());
            }
            return new NodeInfo(id, json.getString("zone"), capacity, used, pieces);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("malformed node info: " + e.getMessage(), e);
        }
    }
}
