package io.posestream.app;

import io.posestream.cli.ServiceSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * One run of the real {@code posestream} command line in-process, as an operator would type it, with the given
 * environment (for {@code POSESTREAM_*} settings and the config file); what it printed is captured.
 */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(Map<String, String> env, String... args) {
        CommandLine cli = PosestreamCli.commandLine(ServiceSettings.forArgs(args, env));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    public static CliRun of(String... args) {
        return of(Map.of(), args);
    }
}
