package io.tessera.jobs.speed;

/**
 * A Flink session cluster's REST endpoint as {@code --flink-master} names it: {@code HOST:PORT}, as
 * {@code flink run -m} takes it.
 */
public record FlinkMaster(String host, int port) {

    /**
     * @throws IllegalArgumentException with the form expected, when {@code text} is not {@code HOST:PORT}
     */
    public static FlinkMaster parse(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(text.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            // reported below
        }
        if (host.isBlank() || host.contains("/") || port < 1 || port > 65535) {
            throw new IllegalArgumentException("--flink-master must be HOST:PORT, the REST endpoint of a Flink session cluster (e.g. 127.0.0.1:8082,"
                    + " as `platform stack up flink` prints it), not '" + text + "'");
        }
        return new FlinkMaster(host, port);
    }

    FlinkRest rest() {
        return new FlinkRest(host, port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
