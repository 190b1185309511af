package io.posestream.faults;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start a {@code posestream} command as a child process: the same Java, the same jar or class path, the
 * production logging configuration (not a test one that happens to be on the class path).
 *
 * @param prefix the command line up to the subcommand, e.g. {@code [java, -jar, posestream.jar]}
 */
public record PosestreamLauncher(List<String> prefix) {
    /** The main class of the {@code posestream} command, named here only as a string: nothing depends on app. */
    public static final String MAIN_CLASS = "io.posestream.app.PosestreamCli";

    public PosestreamLauncher {
        prefix = List.copyOf(prefix);
    }

    /** The way the current JVM was started: {@code java -jar posestream.jar} (the launcher script) or a main class. */
    public static PosestreamLauncher fromCurrentJvm() {
        String command = System.getProperty("sun.java.command", "");
        String first = command.split(" ", 2)[0];
        if (first.endsWith(".jar")) {
            return new PosestreamLauncher(List.of(java(), "-jar", first));
        }
        return ofClassPath(System.getProperty("java.class.path"));
    }

    /** {@code java -cp CLASSPATH io.posestream.app.PosestreamCli}, e.g. from a test's class path. */
    public static PosestreamLauncher ofClassPath(String classPath) {
        return new PosestreamLauncher(List.of(java(), "-cp", classPath, MAIN_CLASS));
    }

    /**
     * The command line of {@code posestream ARGS} with {@code jvmOptions}, always with the production log4j2
     * configuration from the class path (a test's {@code log4j2-test.xml} would otherwise win).
     */
    public List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(prefix.get(0));
        command.addAll(jvmOptions);
        command.add("-Dlog4j2.configurationFile=classpath:log4j2.xml");
        command.addAll(prefix.subList(1, prefix.size()));
        command.addAll(args);
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
