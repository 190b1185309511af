package io.posestream.ingest.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Camera URLs: which kind of source a URL is, the input handed to FFmpeg (with credentials), and the masked form
 * ({@code rtsp://user:***@host/...}) that is the only one logs, metrics, errors and records ever see.
 */
public final class CameraUrls {
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):");
    /** {@code scheme://user:password@} anywhere in a text (URLs inside FFmpeg messages and exceptions too). */
    private static final Pattern USER_PASSWORD =
            Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^\\s/@:\"']*):[^\\s/@\"']*@");

    private CameraUrls() {}

    /** What a camera reads from. */
    public enum Kind {
        RTSP,
        FILE
    }

    /**
     * A camera's resolved source.
     *
     * @param kind    RTSP (live, reconnects) or FILE
     * @param input   what FFmpeg opens, credentials included: never log it
     * @param display the masked URL for logs and errors
     * @param secrets strings that must never appear in output (passwords), for {@link #redact}
     */
    public record Source(Kind kind, String input, String display, List<String> secrets) {
        /** The text with every secret of this source and every URL password replaced by {@code ***}. */
        public String redact(String text) {
            return CameraUrls.redact(text, secrets);
        }

        public boolean live() {
            return kind == Kind.RTSP;
        }

        @Override
        public String toString() {
            return display;
        }
    }

    /** The URL (or any text holding URLs) with passwords replaced by {@code ***}; user names stay. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        return USER_PASSWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + ":***@");
    }

    /** {@link #mask} plus every given secret, raw and URL-encoded, replaced by {@code ***}. */
    public static String redact(String text, List<String> secrets) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                result =
                        result.replace(secret, "***").replace(URLEncoder.encode(secret, StandardCharsets.UTF_8), "***");
            }
        }
        return mask(result);
    }

    /**
     * Resolves a camera's URL and credentials. Errors name the camera and show the URL masked: an unknown scheme,
     * a malformed URL, credentials given twice, or a password variable that is not set.
     */
    public static Source resolve(CameraConfig camera, Map<String, String> environment) {
        String url = camera.url();
        String display = mask(url);
        String where = "camera '" + camera.id() + "': ";
        Matcher scheme = SCHEME.matcher(url);
        if (!scheme.find()) {
            return new Source(
                    Kind.FILE, Path.of(url).toAbsolutePath().normalize().toString(), url, List.of());
        }
        String name = scheme.group(1).toLowerCase(Locale.ROOT);
        switch (name) {
            case "file" -> {
                try {
                    Path path = Path.of(new URI(url));
                    return new Source(Kind.FILE, path.toString(), display, List.of());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new CameraConfigException(
                            where + "malformed file URL " + display + ": " + e.getMessage(), "url");
                }
            }
            case "rtsp", "rtsps" -> {
                return rtsp(camera, url, display, where, environment);
            }
            default ->
                throw new CameraConfigException(
                        where + "unsupported URL scheme '" + name + "' in " + display
                                + ": use rtsp://, rtsps://, file: or a file path",
                        "url");
        }
    }

    private static Source rtsp(
            CameraConfig camera, String url, String display, String where, Map<String, String> environment) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new CameraConfigException(
                    where + "malformed URL " + display + ": " + mask(e.getReason()) + " at index " + e.getIndex(),
                    "url");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new CameraConfigException(
                    where + "malformed URL " + display + ": no host (expected rtsp://host[:port]/path)", "url");
        }
        if (uri.getPort() > 65535) {
            throw new CameraConfigException(
                    where + "malformed URL " + display + ": port " + uri.getPort() + " is out of range", "url");
        }
        List<String> secrets = new ArrayList<>();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            secrets.add(userInfo.substring(userInfo.indexOf(':') + 1));
        }
        String input = url;
        if (camera.username() != null) {
            if (userInfo != null) {
                throw new CameraConfigException(
                        where + "credentials are given both in the URL " + display
                                + " and as username/passwordEnv: keep one",
                        "username");
            }
            String credentials = encode(camera.username());
            if (camera.passwordEnv() != null) {
                String password = environment.get(camera.passwordEnv());
                if (password == null || password.isEmpty()) {
                    throw new CameraConfigException(
                            where + "environment variable " + camera.passwordEnv() + " (passwordEnv) is not set",
                            "passwordEnv");
                }
                secrets.add(password);
                credentials += ":" + encode(password);
                display = withUserInfo(url, camera.username() + ":***");
            } else {
                display = withUserInfo(url, camera.username());
            }
            input = withUserInfo(url, credentials);
        }
        return new Source(Kind.RTSP, input, display, List.copyOf(secrets));
    }

    private static String withUserInfo(String url, String userInfo) {
        int start = url.indexOf("://") + 3;
        return url.substring(0, start) + userInfo + "@" + url.substring(start);
    }

    /** Percent-encodes what may not appear raw in a URL's user-info part. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
