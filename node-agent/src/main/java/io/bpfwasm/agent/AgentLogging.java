package io.bpfwasm.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/**
 * The agent's log output: one line per event on stderr, plain text or JSON (one object per line, for log
 * collectors). Guest output is logged by {@code io.bpfwasm.agent.guest} with key-value pairs program=namespace/name
 * and stream=stdout|stderr, which the text pattern and the JSON encoder both show.
 */
public final class AgentLogging {
    public enum Format { TEXT, JSON }

    private AgentLogging() {}

    public static void configure(Format format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend: leave its configuration alone
        }
        Encoder<ILoggingEvent> encoder;
        if (format == Format.JSON) {
            var json = new JsonEncoder();
            json.setWithFormattedMessage(true);
            json.setWithArguments(false);
            json.setWithMessage(false);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            encoder = json;
        } else {
            var pattern = new PatternLayoutEncoder();
            pattern.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{30} - %msg%n%ex");
            encoder = pattern;
        }
        encoder.setContext(context);
        encoder.start();
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setName("agent");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        root.setLevel(Level.WARN);
        context.getLogger("io.bpfwasm").setLevel(Level.INFO);
        // The ORAS SDK logs stack traces at ERROR for every failed request; the agent reports those failures itself.
        context.getLogger("land.oras").setLevel(Level.OFF);
    }
}
