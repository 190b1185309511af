package io.posestream.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Pod Security Standards' "restricted" profile (which includes "baseline"), as the API server's Pod Security
 * Admission applies it to a pod template: what a namespace labelled {@code pod-security.kubernetes.io/enforce:
 * restricted} refuses. One rule per check of kubernetes.io/docs/concepts/security/pod-security-standards; each
 * violation names the object, the container and the field.
 */
final class PodSecurityRestricted {
    private static final Set<String> RESTRICTED_VOLUMES = Set.of(
            "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SAFE_SYSCTLS = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet");

    private PodSecurityRestricted() {}

    /** Every violation in the pod templates of {@code objects}'s workloads (and any bare Pod). */
    static List<String> violations(List<ObjectNode> objects) {
        List<String> out = new ArrayList<>();
        for (ObjectNode object : objects) {
            String kind = object.path("kind").asText();
            JsonNode pod;
            if (kind.equals("Pod")) {
                pod = object.path("spec");
            } else if (WORKLOADS.contains(kind)) {
                pod = object.path("spec").path("template").path("spec");
            } else {
                continue;
            }
            check(kind + " " + object.path("metadata").path("name").asText(), pod, out);
        }
        return out;
    }

    private static void check(String where, JsonNode pod, List<String> out) {
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (pod.path(host).asBoolean(false)) {
                out.add(where + ": spec." + host + " is true");
            }
        }
        JsonNode podContext = pod.path("securityContext");
        checkContext(where + ": pod securityContext", podContext, out);
        for (JsonNode sysctl : podContext.path("sysctls")) {
            if (!SAFE_SYSCTLS.contains(sysctl.path("name").asText())) {
                out.add(where + ": sysctl " + sysctl.path("name").asText() + " is not in the safe set");
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            List<String> types = new ArrayList<>();
            volume.fieldNames().forEachRemaining(types::add);
            types.remove("name");
            for (String type : types) {
                if (!RESTRICTED_VOLUMES.contains(type)) {
                    out.add(where + ": volume " + volume.path("name").asText() + " is of type " + type);
                }
            }
        }
        boolean podNonRoot = podContext.path("runAsNonRoot").asBoolean(false);
        boolean podSeccomp = allowedSeccomp(podContext.path("seccompProfile"));
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode container : pod.path(list)) {
                String at = where + ": " + list + " " + container.path("name").asText();
                JsonNode context = container.path("securityContext");
                checkContext(at + " securityContext", context, out);
                if (context.path("privileged").asBoolean(false)) {
                    out.add(at + ": privileged");
                }
                if (!context.path("allowPrivilegeEscalation").isBoolean()
                        || context.path("allowPrivilegeEscalation").asBoolean()) {
                    out.add(at + ": allowPrivilegeEscalation is not false");
                }
                boolean nonRoot = context.has("runAsNonRoot")
                        ? context.path("runAsNonRoot").asBoolean(false)
                        : podNonRoot;
                if (!nonRoot) {
                    out.add(at + ": runAsNonRoot is not true (in the container or the pod)");
                }
                if (!podSeccomp && !allowedSeccomp(context.path("seccompProfile"))) {
                    out.add(at + ": seccompProfile is neither RuntimeDefault nor Localhost (in the container or pod)");
                }
                boolean dropsAll = false;
                for (JsonNode drop : context.path("capabilities").path("drop")) {
                    dropsAll |= drop.asText().equals("ALL");
                }
                if (!dropsAll) {
                    out.add(at + ": capabilities.drop does not contain ALL");
                }
                for (JsonNode add : context.path("capabilities").path("add")) {
                    if (!add.asText().equals("NET_BIND_SERVICE")) {
                        out.add(at + ": capabilities.add " + add.asText());
                    }
                }
                for (JsonNode port : container.path("ports")) {
                    if (port.path("hostPort").asInt(0) != 0) {
                        out.add(at + ": hostPort " + port.path("hostPort").asInt());
                    }
                }
            }
        }
    }

    /** Rules that apply alike to the pod's and to each container's securityContext. */
    private static void checkContext(String where, JsonNode context, List<String> out) {
        if (context.path("runAsUser").isNumber() && context.path("runAsUser").asLong() == 0) {
            out.add(where + ": runAsUser is 0");
        }
        if (context.path("windowsOptions").path("hostProcess").asBoolean(false)) {
            out.add(where + ": windowsOptions.hostProcess");
        }
        String seccomp = context.path("seccompProfile").path("type").asText("");
        if (seccomp.equals("Unconfined")) {
            out.add(where + ": seccompProfile Unconfined");
        }
        String procMount = context.path("procMount").asText("Default");
        if (!procMount.equals("Default")) {
            out.add(where + ": procMount " + procMount);
        }
        JsonNode selinux = context.path("seLinuxOptions");
        if (selinux.has("user") || selinux.has("role")) {
            out.add(where + ": seLinuxOptions sets user or role");
        }
        String selinuxType = selinux.path("type").asText("");
        if (!Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t")
                .contains(selinuxType)) {
            out.add(where + ": seLinuxOptions.type " + selinuxType);
        }
        String appArmor = context.path("appArmorProfile").path("type").asText("RuntimeDefault");
        if (!Set.of("RuntimeDefault", "Localhost").contains(appArmor)) {
            out.add(where + ": appArmorProfile " + appArmor);
        }
    }

    private static boolean allowedSeccomp(JsonNode profile) {
        String type = profile.path("type").asText("");
        return type.equals("RuntimeDefault") || type.equals("Localhost");
    }
}
