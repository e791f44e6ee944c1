package io.tessera.featurestore.tile;

import io.tessera.featurestore.time.TimeSpan;

/**
 * A read whose window edge cuts through a stored slice, so the exact answer cannot be assembled. It means
 * a tile was sealed (collapsed to one partial) while reads inside it were still possible: a bug in the
 * caller's seal boundary, never a data condition, so it is thrown rather than answered approximately.
 */
public class InexactReadException extends IllegalStateException {

    public InexactReadException(TimeSpan slice, TimeSpan window) {
        super("slice " + slice + " straddles the edge of window " + window
                + ": a tile was sealed while reads inside it were still possible (seal only before the seal boundary)");
    }
}
