package io.posestream.app.security;

import io.posestream.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Each posestream service as a Kafka principal ({@code User:<user>}, a SCRAM account) with the ACLs it needs and no
 * more, for the services' default topics, consumer group, Streams application id and transactional ids. A service
 * run with another group, application id or topic needs the same ACLs on those names. docs/operations.md
 * ("Security") lists the same set, and a test keeps the two equal.
 */
public enum ServiceAccount {
    /** Cameras in, frames out. */
    INGEST("ingest", "posestream-ingest"),
    /** Frames in; poses and the frames' dead letters out, in transactions. */
    INFER("infer", "posestream-inference"),
    /** Kafka Streams: poses in, pose events out, its state store's changelog, dead letters of poses. */
    TRACK("track", "posestream-tracker"),
    /**
     * Kafka Streams: pose events in, activity events and zone counts out, its state store's changelog, dead letters of
     * pose events.
     */
    ANALYZE("analyze", "posestream-analytics"),
    /** Reads frames, pose events and the analytics' outputs, assigning partitions itself (no group). */
    DASHBOARD("dashboard", "posestream-dashboard"),
    /** The schema registry's store. */
    REGISTRY("registry", "posestream-registry");

    /** The inference workers' default consumer group, and the prefix of their default transactional ids. */
    public static final String INFERENCE_GROUP = "posestream-inference";

    /** The tracker's default Streams application id: its group, transactional id and internal topic prefix. */
    public static final String TRACKER_APPLICATION_ID = "posestream-tracker";

    /** The analytics stage's default Streams application id: its group, transactional id and internal topic prefix. */
    public static final String ANALYTICS_APPLICATION_ID = "posestream-analytics";

    private final String command;
    private final String user;

    ServiceAccount(String command, String user) {
        this.command = command;
        this.user = user;
    }

    /** The {@code posestream} command that runs the service. */
    public String command() {
        return command;
    }

    /** The SCRAM user name (the principal is {@code User:<user>}). */
    public String user() {
        return user;
    }

    /** This service's ACLs for its own user. */
    public List<AclBinding> acls() {
        return acls(user);
    }

    /** This service's ACLs for {@code user}: what a principal running the service needs. */
    public List<AclBinding> acls(String user) {
        String principal = "User:" + user;
        List<AclBinding> acls = new ArrayList<>();
        switch (this) {
            case INGEST -> acls.add(topic(principal, Topics.FRAMES, AclOperation.WRITE));
            case INFER -> {
                acls.add(topic(principal, Topics.FRAMES, AclOperation.READ));
                acls.add(group(principal, INFERENCE_GROUP, PatternType.LITERAL));
                acls.add(topic(principal, Topics.POSES, AclOperation.WRITE));
                acls.add(topic(principal, Topics.dlq(Topics.FRAMES), AclOperation.WRITE));
                // Default ids are posestream-inference-HOST-PID-N.
                acls.add(transactionalId(principal, INFERENCE_GROUP + "-"));
            }
            case TRACK -> {
                acls.add(topic(principal, Topics.POSES, AclOperation.READ));
                acls.add(topic(principal, Topics.POSE_EVENTS, AclOperation.WRITE));
                acls.add(topic(principal, Topics.dlq(Topics.POSES), AclOperation.WRITE));
                acls.addAll(streamsApplication(principal, TRACKER_APPLICATION_ID));
            }
            case ANALYZE -> {
                acls.add(topic(principal, Topics.POSE_EVENTS, AclOperation.READ));
                acls.add(topic(principal, Topics.ACTIVITY_EVENTS, AclOperation.WRITE));
                acls.add(topic(principal, Topics.ZONE_COUNTS, AclOperation.WRITE));
                acls.add(topic(principal, Topics.dlq(Topics.POSE_EVENTS), AclOperation.WRITE));
                acls.addAll(streamsApplication(principal, ANALYTICS_APPLICATION_ID));
            }
            case DASHBOARD -> {
                acls.add(topic(principal, Topics.FRAMES, AclOperation.READ));
                acls.add(topic(principal, Topics.POSE_EVENTS, AclOperation.READ));
                // With --rules it also draws the analytics' events and zone counts.
                acls.add(topic(principal, Topics.ACTIVITY_EVENTS, AclOperation.READ));
                acls.add(topic(principal, Topics.ZONE_COUNTS, AclOperation.READ));
            }
            case REGISTRY -> {
                acls.add(topic(principal, Topics.SCHEMAS, AclOperation.READ));
                acls.add(topic(principal, Topics.SCHEMAS, AclOperation.WRITE));
                // Creates the topic on a fresh cluster, like Confluent's registry.
                acls.add(topic(principal, Topics.SCHEMAS, AclOperation.CREATE));
            }
        }
        return acls;
    }

    /** Every service's ACLs for its own user. */
    public static List<AclBinding> all() {
        List<AclBinding> all = new ArrayList<>();
        for (ServiceAccount account : values()) {
            all.addAll(account.acls());
        }
        return all;
    }

    /** Creates every service's ACLs (existing ones stay as they are); {@code admin} must be a super user's. */
    public static void grantAll(Admin admin) {
        try {
            admin.createAcls(all()).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while creating ACLs", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KafkaException("Cannot create the services' ACLs: " + cause.getMessage(), cause);
        }
    }

    /** Every service's SCRAM user. */
    public static List<String> users() {
        return java.util.Arrays.stream(values()).map(ServiceAccount::user).toList();
    }

    /** One ACL in the words of docs/operations.md, e.g. {@code READ topic posestream.frames}. */
    public static String describe(AclBinding acl) {
        ResourcePattern pattern = acl.pattern();
        return acl.entry().operation() + " "
                + pattern.resourceType().name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + pattern.name()
                + (pattern.patternType() == PatternType.PREFIXED ? "*" : "");
    }

    /** What an exactly-once Streams application needs for its own id: group, transactional ids, internal topics. */
    private static List<AclBinding> streamsApplication(String principal, String applicationId) {
        return List.of(
                group(principal, applicationId, PatternType.LITERAL),
                // exactly_once_v2 ids are <application id>-<process id>-<thread>.
                transactionalId(principal, applicationId + "-"),
                // Changelog (and any repartition) topics are <application id>-...: created and used by Streams.
                binding(
                        new ResourcePattern(ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED),
                        principal,
                        AclOperation.ALL));
    }

    private static AclBinding topic(String principal, String topic, AclOperation operation) {
        return binding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), principal, operation);
    }

    private static AclBinding group(String principal, String group, PatternType type) {
        return binding(new ResourcePattern(ResourceType.GROUP, group, type), principal, AclOperation.READ);
    }

    private static AclBinding transactionalId(String principal, String prefix) {
        return binding(
                new ResourcePattern(ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED),
                principal,
                AclOperation.WRITE);
    }

    private static AclBinding binding(ResourcePattern pattern, String principal, AclOperation operation) {
        return new AclBinding(pattern, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
