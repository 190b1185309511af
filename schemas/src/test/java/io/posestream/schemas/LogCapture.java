package io.posestream.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures every log line (message and stack trace) of every logger while open, including FFmpeg's own lines: for
 * tests that read what an operator would see (and check that no secret is in it). In the schemas test-jar so every
 * module's tests capture the same way.
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final Level previousRoot;
    private final List<Runnable> raised = new ArrayList<>();

    public LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        previousRoot = root.getLevel();
        config.addAppender(this);
        for (LoggerConfig logger : config.getLoggers().values()) {
            logger.addAppender(this, Level.ALL, null);
        }
        context.updateLoggers();
    }

    /** Lets the given logger (and its children) log everything while capturing. */
    public LogCapture all(String logger) {
        Level previous = LogManager.getLogger(logger).getLevel();
        raised.add(() -> org.apache.logging.log4j.core.config.Configurator.setLevel(logger, previous));
        org.apache.logging.log4j.core.config.Configurator.setLevel(logger, Level.ALL);
        return this;
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName())
                .append(' ')
                .append(event.getLevel())
                .append(' ')
                .append(event.getMessage().getFormattedMessage());
        Throwable thrown = event.getThrown();
        while (thrown != null) {
            line.append(" | ").append(thrown);
            thrown = thrown.getCause();
        }
        synchronized (lines) {
            lines.add(line.toString());
        }
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        for (LoggerConfig logger : config.getLoggers().values()) {
            logger.removeAppender(getName());
        }
        config.getRootLogger().setLevel(previousRoot);
        raised.forEach(Runnable::run);
        context.updateLoggers();
        stop();
    }
}
