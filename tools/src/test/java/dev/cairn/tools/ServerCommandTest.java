package dev.cairn.tools;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerCommandTest {

    @Test
    void domainFlagTakesSeveralCommaSeparatedDomains() {
        assertEquals(List.of("s3.example.com", "storage.local"),
                ServerCommand.config(List.of("--domain", "S3.Example.com, storage.local"), Map.of()).domains());
    }

    @Test
    void domainComesFromCairnDomainWhenNoFlagIsGiven() {
        assertEquals(List.of("example.com"),
                ServerCommand.config(List.of(), Map.of("CAIRN_DOMAIN", "example.com")).domains());
    }

    @Test
    void withoutDomainOnlyPathStyleIsServed() {
        assertEquals(List.of(), ServerCommand.config(List.of(), Map.of()).domains());
    }

    @Test
    void moversStartPausedOnlyWhenAskedAndTheValueMustBeABoolean() {
        assertEquals(false, ServerCommand.config(List.of(), Map.of()).movers().paused());
        assertEquals(true, ServerCommand.config(List.of("--movers-paused", "true"), Map.of()).movers().paused());
        assertEquals(true, ServerCommand.config(List.of(), Map.of("CAIRN_MOVERS_PAUSED", "TRUE")).movers().paused());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServerCommand.config(List.of("--movers-paused", "yes"), Map.of()));
    }
}
