package io.tessera.stack.service;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import io.tessera.stack.Artifacts;
import io.tessera.stack.Launch;
import io.tessera.stack.LocalService;
import io.tessera.stack.ServiceName;
import io.tessera.stack.StackSettings;

/** The JobManager of the local Flink session cluster; its TaskManager comes and goes with it. */
public final class FlinkJobManager implements LocalService {

    private final FlinkSessionCluster cluster;

    public FlinkJobManager(StackSettings settings) {
        this.cluster = new FlinkSessionCluster(settings);
    }

    @Override
    public ServiceName name() {
        return ServiceName.FLINK;
    }

    /** The REST endpoint: {@code --flink-master} takes it without the scheme. */
    @Override
    public String address() {
        return cluster.restUrl() + " (Flink session cluster: --flink-master " + StackSettings.BIND_HOST + ":" + cluster.restPort() + ")";
    }

    @Override
    public List<Integer> ports() {
        return List.of(cluster.restPort(), cluster.rpcPort());
    }

    @Override
    public Set<ServiceName> companions() {
        return Set.of(ServiceName.FLINK_TASKMANAGER);
    }

    @Override
    public Launch prepare(Artifacts artifacts) throws IOException {
        return cluster.jobManager(artifacts);
    }

    /** The dispatcher answers its REST API's cluster overview. */
    @Override
    public boolean isReady() {
        return Probes.httpGet(cluster.restUrl() + "/overview") != null;
    }
}
