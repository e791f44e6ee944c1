package io.tessera.stack;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * One server of the local stack. An implementation knows its artifacts, writes its configuration and
 * says how to start and how to probe it; {@link LocalStack} owns the processes.
 */
public interface LocalService {

    ServiceName name();

    /** Where clients reach it, e.g. {@code 127.0.0.1:9092} or an URL. */
    String address();

    /** Ports it binds on 127.0.0.1; checked free before a start so a foreign process is named, not hit. */
    List<Integer> ports();

    /** Services that must be ready before this one starts. */
    default Set<ServiceName> requires() {
        return Set.of();
    }

    /**
     * Services that are part of this one (a cluster of several processes): started with it, stopped with it.
     */
    default Set<ServiceName> companions() {
        return Set.of();
    }

    /**
     * Fetches what is missing and writes the configuration. Idempotent; called before every start.
     *
     * @throws IOException when an artifact cannot be fetched or a file written
     * @throws MissingPrerequisiteException when the machine lacks something the project cannot fetch
     */
    Launch prepare(Artifacts artifacts) throws IOException;

    /** A real request against the server; false while it is starting or when it is down. */
    boolean isReady();
}
