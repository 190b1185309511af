package io.posestream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StartupOptionsTest {
    @Test
    void durationsAreTakenAsOperatorsWriteThem() {
        assertThat(DurationConverter.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationConverter.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationConverter.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationConverter.parse("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(DurationConverter.format(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(DurationConverter.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void aDurationThatIsNotOneIsRefusedNamingIt() {
        assertThatThrownBy(() -> DurationConverter.parse("soon"))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> DurationConverter.parse("0s")).hasMessageContaining("not a positive duration");
    }

    @Test
    void bootstrapAddressesAreMaskedForLogs() {
        assertThat(ClusterWatch.maskBootstrap("10.0.0.1:9092, 10.0.0.2:9092")).isEqualTo("10.0.0.1:9092,10.0.0.2:9092");
        assertThat(ClusterWatch.maskBootstrap("SASL_SSL://alice:s3cret@kafka:9093"))
                .isEqualTo("SASL_SSL://***@kafka:9093")
                .doesNotContain("s3cret");
        assertThat(ClusterWatch.maskBootstrap("bob:pw@kafka:9092")).isEqualTo("***@kafka:9092");
    }

    @Test
    void theStartupTimeoutIsOneOptionReadLikeEverySetting() {
        @CommandLine.Command(name = "svc")
        class Svc {
            @CommandLine.Mixin
            StartupOptions startup;
        }
        Svc svc = new Svc();
        new CommandLine(svc).parseArgs("--startup-timeout", "45s");
        assertThat(svc.startup.startupTimeout()).isEqualTo(Duration.ofSeconds(45));
        Svc none = new Svc();
        new CommandLine(none).parseArgs();
        assertThat(none.startup.startupTimeout()).as("default: wait for ever").isNull();
    }
}
