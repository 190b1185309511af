package io.posestream.schemas.registry;

import java.net.URI;
import java.util.regex.Pattern;

/** URL helpers for the schema registry: credentials never leave this class unmasked. */
public final class RegistryUrls {
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@]*@)");

    private RegistryUrls() {}

    /** The URL with any {@code user:password@} part replaced by {@code ***@}, safe for logs and errors. */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        return USER_INFO.matcher(url).replaceFirst("$1***@");
    }

    /** The URL without its user-info part and without a trailing slash: the base that requests are sent to. */
    public static String stripUserInfo(String url) {
        String stripped = USER_INFO.matcher(url.trim()).replaceFirst("$1");
        return stripped.endsWith("/") ? stripped.substring(0, stripped.length() - 1) : stripped;
    }

    /** The {@code user:password} embedded in the URL, or null. */
    public static String userInfo(String url) {
        try {
            return URI.create(url.trim()).getRawUserInfo();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid schema registry URL " + mask(url) + ": " + e.getMessage(), e);
        }
    }
}
