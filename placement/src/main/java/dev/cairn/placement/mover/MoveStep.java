package dev.cairn.placement.mover;

/**
 * One piece to put on {@code toNode}: copied from {@code fromNode} (a MOVE of a readable piece)
 * or rebuilt from the chunk's other pieces (a REBUILD; {@code fromNode} is its old, bad or lost
 * location, or "" when it had none).
 */
public record MoveStep(int pieceIndex, String fromNode, String toNode, Kind kind) {
    public enum Kind { MOVE, REBUILD }
}
