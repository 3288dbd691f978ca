package dev.cairn.s3.e2e;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A logback appender (wired in logback-test.xml) that counts Vert.x blocked-thread warnings, so
 * tests can assert the event loop never blocked.
 */
public final class BlockedThreadLog extends AppenderBase<ILoggingEvent> {
    private static final AtomicInteger WARNINGS = new AtomicInteger();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLoggerName().contains("BlockedThreadChecker")) {
            WARNINGS.incrementAndGet();
        }
    }

    public static int warnings() {
        return WARNINGS.get();
    }
}
