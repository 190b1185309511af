package io.posestream.app;

import io.posestream.app.cluster.BrokerCommand;
import io.posestream.app.cluster.RegistryCommand;
import io.posestream.app.cluster.TopicsCommand;
import io.posestream.app.demo.DemoCommand;
import io.posestream.app.model.ModelCommand;
import io.posestream.bench.BenchCommand;
import io.posestream.cli.ServiceSettings;
import io.posestream.cli.SettingsException;
import io.posestream.schemas.ClientErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single {@code posestream} command; each pipeline part is a subcommand. */
@Command(
        name = "posestream",
        mixinStandardHelpOptions = true,
        versionProvider = PosestreamCli.Version.class,
        description = "Live camera streams to tracked human poses on Kafka.",
        subcommands = {
            DemoCommand.class,
            BrokerCommand.class,
            RegistryCommand.class,
            TopicsCommand.class,
            ModelCommand.class,
            io.posestream.app.infer.InferCommand.class,
            io.posestream.app.track.TrackCommand.class,
            io.posestream.app.track.EvalTrackingCommand.class,
            io.posestream.app.analyze.AnalyzeCommand.class,
            io.posestream.app.ingest.IngestCommand.class,
            io.posestream.app.connect.ConnectCommand.class,
            io.posestream.app.ingest.CameraCommand.class,
            io.posestream.app.dashboard.DashboardCommand.class,
            io.posestream.app.audit.AuditCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class PosestreamCli {

    public static void main(String[] args) {
        CommandLine cli;
        try {
            cli = commandLine(ServiceSettings.forArgs(args, System.getenv()));
        } catch (SettingsException e) {
            System.err.println("posestream: " + e.getMessage());
            System.exit(2);
            return;
        }
        int exitCode = cli.execute(args);
        org.apache.logging.log4j.LogManager.shutdown();
        System.exit(exitCode);
    }

    /** The command line with no environment or config file, for tests. */
    public static CommandLine commandLine() {
        return commandLine(ServiceSettings.forArgs(new String[0], java.util.Map.of()));
    }

    /** The configured command line reading defaults from {@code settings} (environment and config file). */
    public static CommandLine commandLine(ServiceSettings settings) {
        CommandLine cli = new CommandLine(new PosestreamCli());
        settings.applyTo(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // An operator gets the reason in one line; the stack trace only matters with --debug style logging.
            commandLine
                    .getErr()
                    .println("posestream " + commandLine.getCommandName() + ": " + ClientErrors.describe(e));
            org.slf4j.LoggerFactory.getLogger(PosestreamCli.class).debug("Command failed", e);
            // Some failures have a status of their own (a startup timeout exits 69, EX_UNAVAILABLE).
            return e instanceof CommandLine.IExitCodeGenerator status ? status.getExitCode() : 1;
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
