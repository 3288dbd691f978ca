package dev.cairn.metadata;

import java.util.List;

/** Every row of a store, for tests outside this package that compare replicas byte for byte. */
public final class StoreRows {
    private StoreRows() {
    }

    /** "cf key=value" lines in key order, every column family. */
    public static List<String> dump(RocksMetadataStore store) throws Exception {
        return MetadataStateMachineTest.dump(store);
    }

    /** The command script that covers every command type (see {@link CommandScript}). */
    public static List<MetaCommand<?>> script(long seed) {
        return CommandScript.build(seed).commands;
    }
}
