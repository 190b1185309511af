package io.posestream.faults;

/** A fault the suite can put on the pipeline, with what is done and from when recovery is measured. */
public enum Fault {
    BROKER_RESTART(
            "broker SIGKILL, restarted on the same ports and data after the outage", "the restarted broker answers"),
    INFER_KILL("inference worker SIGKILL, started again at once", "the kill"),
    TRACKER_TAKEOVER(
            "tracker-a SIGKILL; tracker-b takes its cameras over (tracker-a started again afterwards)", "the kill"),
    REGISTRY_RESTART("registry SIGKILL, started again 5 s later on the same port", "the restart"),
    NETWORK_CUT("one service cut off from the broker at its proxy for the outage", "the link is back"),
    SLOW_BROKER("every link to the broker 100 ms slower each way for the outage", "the latency begins");

    private final String what;
    private final String measuredFrom;

    Fault(String what, String measuredFrom) {
        this.what = what;
        this.measuredFrom = measuredFrom;
    }

    /** What is done. */
    public String what() {
        return what;
    }

    /** The moment recovery is measured from. */
    public String measuredFrom() {
        return measuredFrom;
    }
}
