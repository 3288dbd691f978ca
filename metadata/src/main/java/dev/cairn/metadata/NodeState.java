package dev.cairn.metadata;

/**
 * A storage node's state in the cluster map. UP nodes take new pieces; SUSPECT nodes missed a
 * heartbeat window (still read, not written); DOWN nodes missed heartbeats past the down
 * timeout; DRAINING nodes are being emptied by the operator; REMOVED nodes are gone for good.
 */
public enum NodeState {
    UP, SUSPECT, DOWN, DRAINING, REMOVED
}
