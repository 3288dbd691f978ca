package dev.cairn.chunkstore.node;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Counts Vert.x blocked-thread warnings (attached to the "io.vertx" logger at class load), and the
 * Vert.x options that make a blocking call on an event loop show up quickly.
 */
final class BlockedThreadWatch extends AppenderBase<ILoggingEvent> {
    private static final AtomicInteger WARNINGS = new AtomicInteger();

    static {
        BlockedThreadWatch appender = new BlockedThreadWatch();
        Logger vertx = (Logger) LoggerFactory.getLogger("io.vertx");
        appender.setContext(vertx.getLoggerContext());
        appender.start();
        vertx.addAppender(appender);
        // Netty registers its JFR allocator events with the flight recorder in their class
        // initialisers, run by the first allocation of a new pooled chunk: a one-time stall of a few
        // hundred ms on a busy machine that would otherwise land on an event loop mid-test.
        for (String event : new String[]{"AllocateChunkEvent", "FreeChunkEvent", "AllocateBufferEvent",
                "FreeBufferEvent", "ReallocateBufferEvent"}) {
            try {
                Class.forName("io.netty.buffer." + event, true, BlockedThreadWatch.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError ignored) {
                // another Netty version: nothing to initialise
            }
        }
    }

    private BlockedThreadWatch() {
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLoggerName().contains("BlockedThreadChecker")) {
            WARNINGS.incrementAndGet();
        }
    }

    static int warnings() {
        return WARNINGS.get();
    }

    static VertxOptions strictOptions() {
        return new VertxOptions()
                .setEventLoopPoolSize(2)
                .setMaxEventLoopExecuteTime(200)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(50)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setWarningExceptionTime(150).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
    }
}
