package io.posestream.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The ACL set in code and the one operators read in docs/operations.md are the same. */
class ServiceAccountTest {
    private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");

    @Test
    void theSecuritySectionListsExactlyEachServicesAcls() throws Exception {
        List<String> lines = Files.readAllLines(OPERATIONS);
        for (ServiceAccount account : ServiceAccount.values()) {
            String prefix = "| " + account.command() + " | `User:" + account.user() + "` |";
            String row = lines.stream()
                    .filter(line -> line.startsWith(prefix))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("docs/operations.md has no ACL row " + prefix));
            Set<String> documented = new LinkedHashSet<>();
            Matcher acl = Pattern.compile("`((?:READ|WRITE|CREATE|ALL|DESCRIBE)[^`]*)`")
                    .matcher(row.substring(prefix.length()));
            while (acl.find()) {
                documented.add(acl.group(1));
            }
            Set<String> inCode = new LinkedHashSet<>();
            account.acls().forEach(binding -> inCode.add(ServiceAccount.describe(binding)));
            assertThat(documented)
                    .as("ACLs of %s in docs/operations.md", account)
                    .isEqualTo(inCode);
        }
    }

    @Test
    void noServiceMayDoAnythingOnTheCluster() {
        assertThat(ServiceAccount.all())
                .allSatisfy(binding ->
                        assertThat(binding.pattern().resourceType().name()).isNotEqualTo("CLUSTER"));
        assertThat(ServiceAccount.users()).doesNotHaveDuplicates().doesNotContain("admin");
    }
}
