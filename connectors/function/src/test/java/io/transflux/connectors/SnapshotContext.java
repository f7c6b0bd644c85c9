package io.transflux.connectors;

import java.util.ArrayList;
import java.util.List;

import org.crac.CheckpointException;
import org.crac.Context;
import org.crac.Resource;
import org.crac.RestoreException;

/**
 * A CRaC context as the JDK's global context behaves: resources run before a checkpoint in reverse order of
 * registration and after a restore in order; a failing hook fails the checkpoint (or restore) with its cause
 * suppressed. A plain JVM has no checkpoint, so tests drive the hooks through this.
 */
public final class SnapshotContext extends Context<Resource> {

    private final List<Resource> resources = new ArrayList<>();

    @Override
    public synchronized void register(Resource resource) {
        resources.add(resource);
    }

    public synchronized List<Resource> registered() {
        return List.copyOf(resources);
    }

    /** What the platform does just before it takes the snapshot. */
    public void checkpoint() throws CheckpointException {
        beforeCheckpoint(null);
    }

    /** What the platform does in a restored sandbox, before the first invocation. */
    public void restore() throws RestoreException {
        afterRestore(null);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
        List<Resource> rs = new ArrayList<>(registered());
        java.util.Collections.reverse(rs);
        CheckpointException failed = null;
        for (Resource r : rs) {
            try {
                r.beforeCheckpoint(this);
            } catch (Exception e) {
                failed = failed == null ? new CheckpointException() : failed;
                failed.addSuppressed(e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) throws RestoreException {
        RestoreException failed = null;
        for (Resource r : registered()) {
            try {
                r.afterRestore(this);
            } catch (Exception e) {
                failed = failed == null ? new RestoreException() : failed;
                failed.addSuppressed(e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
