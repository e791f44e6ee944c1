package io.tessera.jobs.speed;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.stack.StackSettings;

/**
 * The few calls of Flink's REST API (the one the web UI uses) that operating a speed layer needs: which
 * job runs and in what state, its checkpoints, stop-with-savepoint and cancel; the same API whether it is
 * the speed layer's own MiniCluster or a session cluster. One JDK client, Jackson for JSON.
 */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    /** The speed layer's own MiniCluster, on this machine. */
    FlinkRest(int port) {
        this(StackSettings.BIND_HOST, port);
    }

    FlinkRest(String host, int port) {
        this.base = URI.create("http://" + host + ":" + port + "/");
    }

    String webUi() {
        return base.toString().replaceFirst("/$", "");
    }

    /** A job as {@code /jobs/overview} shows it, with how many of its tasks run (or are done: bounded parts finish). */
    record Job(String id, String name, String state, Instant started, int tasks, int tasksRunning) {

        /**
         * The job runs and so do all its tasks. A job is RUNNING while its tasks still deploy and restore
         * their state, and a savepoint then fails ("Not all required tasks are currently running").
         */
        boolean isRunning() {
            return state.equals("RUNNING") && tasksRunning == tasks;
        }

        /** Its state as Flink says it, unless it is RUNNING with tasks still starting: then how many run. */
        String describe() {
            return state.equals("RUNNING") && !isRunning() ? "STARTING (" + tasksRunning + "/" + tasks + " tasks running)" : state;
        }
    }

    /**
     * What {@code /jobs/<id>/checkpoints} says: how many completed and failed, the newest completed one, and
     * the newest failure with Flink's reason (an operator who sees a count of failures asks why first).
     */
    record Checkpoints(long completed, long failed, Optional<Completed> latest, Optional<Failed> lastFailure) {
        record Completed(long id, Instant at, String path) {
        }

        record Failed(long id, Instant at, String message) {
        }

        static Checkpoints of(JsonNode stats) {
            JsonNode completed = stats.path("latest").path("completed");
            JsonNode failed = stats.path("latest").path("failed");
            return new Checkpoints(stats.path("counts").path("completed").asLong(), stats.path("counts").path("failed").asLong(),
                    completed.isObject() ? Optional.of(new Completed(completed.path("id").asLong(),
                            Instant.ofEpochMilli(completed.path("latest_ack_timestamp").asLong()), completed.path("external_path").asText()))
                            : Optional.empty(),
                    failed.isObject() ? Optional.of(new Failed(failed.path("id").asLong(), Instant.ofEpochMilli(failed.path("failure_timestamp").asLong()),
                            failed.path("failure_message").asText("no reason given"))) : Optional.empty());
        }
    }

    /** The speed layer's histogram of realtime rows per key ({@code SpeedMetrics}), the highest over its tasks. */
    record RealtimeRows(double p99, double max) {
    }

    /** {@code SpeedMetrics.REALTIME_ROWS} in the {@code tessera} group of the scoring operator, as Flink's REST API names it. */
    private static final String REALTIME_ROWS = "tessera.realtime_rows_per_key";

    /**
     * The job's realtime rows per key, if its scoring tasks reported any yet (Flink's REST API fetches
     * metrics every few seconds; a histogram appears as one metric per statistic, {@code _p99}, {@code _max}...).
     */
    Optional<RealtimeRows> realtimeRows(String jobId) throws IOException, InterruptedException {
        for (JsonNode vertex : get("jobs/" + jobId).path("vertices")) {
            String metrics = "jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            Optional<String> max = java.util.stream.StreamSupport.stream(get(metrics).spliterator(), false)
                    .map(metric -> metric.path("id").asText()).filter(id -> id.endsWith(REALTIME_ROWS + "_max")).findFirst();
            if (max.isPresent()) {
                String p99 = max.get().replaceFirst("_max$", "_p99");
                Map<String, Double> values = new java.util.HashMap<>();
                for (JsonNode metric : get(metrics + "?agg=max&get=" + max.get() + "," + p99)) {
                    values.put(metric.path("id").asText(), metric.path("max").asDouble());
                }
                return values.containsKey(max.get()) && values.containsKey(p99)
                        ? Optional.of(new RealtimeRows(values.get(p99), values.get(max.get()))) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A stop-with-savepoint in progress ({@code location} empty) or done; {@code failure} when it failed. */
    record SavepointTrigger(boolean done, Optional<String> location, Optional<String> failure) {
    }

    /**
     * The newest job named {@code name}, if the cluster knows one.
     *
     * @throws IOException when nothing answers on the port (the JVM is starting or gone)
     */
    Optional<Job> job(String name) throws IOException, InterruptedException {
        Job newest = null;
        for (Job candidate : jobs()) {
            if (candidate.name().equals(name) && (newest == null || candidate.started().isAfter(newest.started()))) {
                newest = candidate;
            }
        }
        return Optional.ofNullable(newest);
    }

    /**
     * The job of this id, if the cluster knows it (a session cluster forgets finished jobs after a while).
     *
     * @throws IOException when nothing answers
     */
    Optional<Job> jobById(String id) throws IOException, InterruptedException {
        return jobs().stream().filter(job -> job.id().equals(id)).findFirst();
    }

    private java.util.List<Job> jobs() throws IOException, InterruptedException {
        java.util.List<Job> jobs = new java.util.ArrayList<>();
        for (JsonNode job : get("jobs/overview").path("jobs")) {
            JsonNode tasks = job.path("tasks");
            jobs.add(new Job(job.path("jid").asText(), job.path("name").asText(), job.path("state").asText(),
                    Instant.ofEpochMilli(job.path("start-time").asLong()), tasks.path("total").asInt(),
                    tasks.path("running").asInt() + tasks.path("finished").asInt()));
        }
        return jobs;
    }

    /**
     * The Flink version of the cluster that answers: a cheap request that tells a Flink REST API from
     * nothing (or from another server) before a job is built for it.
     *
     * @throws IOException when nothing answers, or not as Flink does
     */
    String version() throws IOException, InterruptedException {
        JsonNode overview = get("overview");
        if (!overview.has("flink-version")) {
            throw new IOException(base + " answers, but not as Flink's REST API: " + overview);
        }
        return overview.path("flink-version").asText();
    }

    /** The first line of the exception that failed or is restarting the job, if any. */
    Optional<String> rootException(String jobId) throws IOException, InterruptedException {
        JsonNode root = get("jobs/" + jobId + "/exceptions").path("root-exception");
        return root.isTextual() ? root.asText().lines().findFirst() : Optional.empty();
    }

    /** Cancels the job (its retained checkpoints stay: the next start restores from the newest). */
    void cancel(String jobId) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(base.resolve("jobs/" + jobId + "?mode=cancel")).timeout(TIMEOUT)
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    }

    Checkpoints checkpoints(String jobId) throws IOException, InterruptedException {
        return Checkpoints.of(get("jobs/" + jobId + "/checkpoints"));
    }

    /** Triggers stop-with-savepoint (no drain: the job stops where it is and resumes there); returns the trigger id. */
    String stopWithSavepoint(String jobId, Path targetDirectory) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("targetDirectory", targetDirectory.toUri().toString(), "drain", false));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("jobs/" + jobId + "/stop")).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return send(request).path("request-id").asText();
    }

    SavepointTrigger savepoint(String jobId, String triggerId) throws IOException, InterruptedException {
        JsonNode answer = get("jobs/" + jobId + "/savepoints/" + triggerId);
        if (!answer.path("status").path("id").asText().equals("COMPLETED")) {
            return new SavepointTrigger(false, Optional.empty(), Optional.empty());
        }
        JsonNode operation = answer.path("operation");
        if (operation.has("failure-cause")) {
            JsonNode cause = operation.path("failure-cause");
            String text = cause.path("stack-trace").asText(cause.toString());
            return new SavepointTrigger(true, Optional.empty(), Optional.of(text.lines().findFirst().orElse(text)));
        }
        return new SavepointTrigger(true, Optional.of(operation.path("location").asText()), Optional.empty());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build());
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.method() + " " + request.uri() + ": HTTP " + response.statusCode() + " " + response.body());
        }
        String body = response.body();
        return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    }
}
