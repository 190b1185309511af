package io.posestream.connect;

/** The plugin's version, from its jar's manifest ({@code Implementation-Version}); "dev" from a build tree. */
final class Version {
    private Version() {}

    static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
