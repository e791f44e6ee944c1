package io.tessera.stack.service;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.stack.Artifacts;
import io.tessera.stack.Launch;
import io.tessera.stack.LocalService;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;

/** The TaskManager of the local Flink session cluster: ready once the JobManager counts its slots. */
public final class FlinkTaskManager implements LocalService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StackSettings settings;
    private final FlinkSessionCluster cluster;

    public FlinkTaskManager(StackSettings settings) {
        this.settings = settings;
        this.cluster = new FlinkSessionCluster(settings);
    }

    @Override
    public ServiceName name() {
        return ServiceName.FLINK_TASKMANAGER;
    }

    @Override
    public String address() {
        return settings.value("flink.taskmanager.slots") + " slots, registered at " + StackSettings.BIND_HOST + ":" + cluster.rpcPort();
    }

    /** Its RPC and data ports are picked by the system. */
    @Override
    public List<Integer> ports() {
        return List.of();
    }

    @Override
    public Set<ServiceName> requires() {
        return Set.of(ServiceName.FLINK);
    }

    @Override
    public Launch prepare(Artifacts artifacts) throws IOException {
        return cluster.taskManager(artifacts);
    }

    /** The JobManager lists a TaskManager (this home runs one): it registered and offers its slots. */
    @Override
    public boolean isReady() {
        String overview = Probes.httpGet(cluster.restUrl() + "/overview");
        if (overview == null) {
            return false;
        }
        try {
            return JSON.readTree(overview).path("taskmanagers").asInt() > 0;
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
