package io.posestream.app;

import io.posestream.app.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single {@code posestream} command; each pipeline part is a subcommand. */
@Command(name = "posestream",
        mixinStandardHelpOptions = true,
        versionProvider = PosestreamCli.Version.class,
        description = "Live camera streams to tracked human poses on Kafka.",
        subcommands = {DemoCommand.class, BrokerCommand.class, RegistryCommand.class, TopicsCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class PosestreamCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PosestreamCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // An operator gets the reason in one line; the stack trace only matters with --debug style logging.
            commandLine.getErr().println("posestream " + commandLine.getCommandName() + ": " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(PosestreamCli.class).debug("Command failed", e);
            return 1;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = PosestreamCli.class.getPackage().getImplementationVersion();
            return new String[] {"posestream " + (version == null ? "dev" : version)};
        }
    }
}
