#!/usr/bin/python3
"""posestream sample camera: serves a video file over real RTSP (GStreamer RTSP server), looping, at its native rate.

Each path (cam1..camN) has a "playback" pipeline that decodes the file in a loop at the file's own frame rate into an
intervideosink, and an RTSP media that reads that channel with intervideosrc and encodes it with x264. The two halves
are decoupled on purpose: the playback pipeline can seek back to the start at end of file without the RTSP stream's
timestamps ever going backwards, and every client of a path sees the same live stream, like a real camera.

Prints "READY <port>" on stdout once the server listens; errors go to stderr and exit non-zero.
Run with Debian's /usr/bin/python3 (python3-gi); see io.posestream.ingest.camera.SampleRtspCamera.
"""
import argparse
import os
import re
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstPbutils", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstPbutils, GstRtspServer  # noqa: E402


def fail(message):
    print("sample camera: " + message, file=sys.stderr, flush=True)
    sys.exit(2)


def probe(video):
    """Width, height and frame rate of the file's first video stream, from GStreamer's own discoverer."""
    uri = Gst.filename_to_uri(video)
    try:
        info = GstPbutils.Discoverer.new(10 * Gst.SECOND).discover_uri(uri)
    except GLib.Error as e:
        fail("cannot read video %s: %s" % (video, e.message))
    streams = info.get_video_streams()
    if not streams:
        fail("no video stream in %s" % video)
    stream = streams[0]
    num, den = stream.get_framerate_num(), stream.get_framerate_denom()
    if num <= 0 or den <= 0:
        num, den = 25, 1  # still images and odd containers: a sane camera rate
    return stream.get_width(), stream.get_height(), num, den, info.get_duration()


class Playback:
    """Decodes the file in a loop, at its native rate, into the inter channel of one path."""

    def __init__(self, video, channel, caps, start_offset_ns):
        self.channel = channel
        self.start_offset_ns = start_offset_ns
        self.pipeline = Gst.parse_launch(
            "filesrc name=src ! decodebin ! videoconvert ! videoscale ! videorate ! %s ! "
            "intervideosink channel=%s" % (caps, channel))
        self.pipeline.get_by_name("src").set_property("location", video)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self.on_message)

    def start(self):
        self.pipeline.set_state(Gst.State.PAUSED)
        self.pipeline.get_state(10 * Gst.SECOND)
        if self.start_offset_ns > 0:
            self.pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.KEY_UNIT,
                                      self.start_offset_ns)
        self.pipeline.set_state(Gst.State.PLAYING)

    def on_message(self, bus, message):
        if message.type == Gst.MessageType.EOS:
            # Loop: back to the start. The RTSP side keeps its own clock, so its timestamps continue.
            self.pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.KEY_UNIT, 0)
        elif message.type == Gst.MessageType.ERROR:
            err, debug = message.parse_error()
            fail("playback of %s failed: %s" % (self.channel, err.message))

    def stop(self):
        self.pipeline.set_state(Gst.State.NULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--video", required=True)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8554, help="0 = any free port")
    parser.add_argument("--path", default="cam1")
    parser.add_argument("--paths", type=int, default=1, help="serve N paths named like --path with 1..N")
    parser.add_argument("--bitrate", type=int, default=2000, help="x264 bitrate, kbit/s")
    parser.add_argument("--user", help="ask clients for this user (HTTP basic auth); the password is read from "
                                       "the environment variable POSESTREAM_CAMERA_PASSWORD, never the command line")
    args = parser.parse_args()
    password = os.environ.get("POSESTREAM_CAMERA_PASSWORD")
    if args.user and not password:
        fail("--user needs the environment variable POSESTREAM_CAMERA_PASSWORD")

    Gst.init(None)
    for element in ("x264enc", "rtph264pay", "intervideosrc", "intervideosink", "decodebin"):
        if Gst.ElementFactory.find(element) is None:
            fail("GStreamer element %s is missing: run scripts/setup.sh" % element)

    width, height, num, den, duration = probe(args.video)
    caps = "video/x-raw,format=I420,width=%d,height=%d,framerate=%d/%d" % (width, height, num, den)

    if args.paths > 1:
        prefix = re.sub(r"\d+$", "", args.path)
        paths = ["%s%d" % (prefix, i) for i in range(1, args.paths + 1)]
    else:
        paths = [args.path]

    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    if args.user:
        # Like a real camera with a login: a client without these credentials gets 401 Unauthorized.
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, password), token)
        server.set_auth(auth)
    viewer_role = Gst.Structure.new_from_string(
        "viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")
    mounts = server.get_mount_points()
    playbacks = []
    gop = max(1, 2 * num // den)  # a key frame every 2 s: a new client starts decoding within 2 s
    for index, path in enumerate(paths):
        channel = "posestream-" + path
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(
            "( intervideosrc channel=%s ! %s ! x264enc tune=zerolatency speed-preset=ultrafast "
            "bitrate=%d key-int-max=%d ! video/x-h264,profile=constrained-baseline ! "
            "rtph264pay name=pay0 pt=96 config-interval=1 )" % (channel, caps, args.bitrate, gop))
        factory.set_shared(True)
        if args.user:
            factory.add_role_from_structure(viewer_role)
        mounts.add_factory("/" + path, factory)
        # Paths start at different points of the video, so a multi-camera demo shows different scenes.
        offset = duration * index // len(paths) if duration and duration > 0 else 0
        playbacks.append(Playback(args.video, channel, caps, offset))

    if server.attach(None) == 0:
        fail("cannot listen on %s:%d (port in use?)" % (args.address, args.port))
    for playback in playbacks:
        playback.start()

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    parent = os.getppid()

    def parent_alive():
        # The JVM that started us is gone (even killed with SIGKILL): do not linger as an orphan.
        if os.getppid() != parent:
            loop.quit()
            return False
        return True

    GLib.timeout_add_seconds(1, parent_alive)
    print("READY %d %dx%d %d/%d %s" % (server.get_bound_port(), width, height, num, den, ",".join(paths)),
          flush=True)
    try:
        loop.run()
    finally:
        for playback in playbacks:
            playback.stop()


if __name__ == "__main__":
    main()
