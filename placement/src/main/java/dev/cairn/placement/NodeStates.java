package dev.cairn.placement;

import dev.cairn.metadata.NodeState;

/** The membership state machine, as a pure function of a node's state, its last beat and the time. */
public final class NodeStates {
    private NodeStates() {
    }

    /**
     * The state a node should be in now. Heartbeat timing moves UP, SUSPECT and DOWN nodes among
     * themselves; DRAINING and REMOVED are operator decisions and stay as they are.
     */
    public static NodeState next(NodeState current, long lastHeartbeatMillis, long nowMillis, MembershipSettings s) {
        if (current == NodeState.DRAINING || current == NodeState.REMOVED) {
            return current;
        }
        long silent = nowMillis - lastHeartbeatMillis;
        if (silent >= s.downAfter().toMillis()) {
            return NodeState.DOWN;
        }
        if (silent >= s.suspectAfter().toMillis()) {
            return current == NodeState.DOWN ? NodeState.DOWN : NodeState.SUSPECT;
        }
        return current == NodeState.DOWN ? NodeState.DOWN : NodeState.UP;
    }

    /** The state after a heartbeat arrives: a silent node comes back UP; operator states stay. */
    public static NodeState onHeartbeat(NodeState current) {
        return switch (current) {
            case DRAINING, REMOVED -> current;
            default -> NodeState.UP;
        };
    }
}
