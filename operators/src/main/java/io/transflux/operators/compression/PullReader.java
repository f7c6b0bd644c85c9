package io.transflux.operators.compression;

import java.io.IOException;

/**
 * A pull codec over an {@link InputStreamBridge}: a plain state machine with no Reactor types, run on a
 * worker thread by {@link PullDecoding}.
 */
interface PullReader {

    /** Reads decoded bytes like {@link java.io.InputStream#read(byte[], int, int)}; -1 at a correct end. */
    int read(byte[] b, int off, int len) throws IOException;

    /** Members, streams or entries seen so far; counted against the member cap. */
    long members();

    /** Asks the reader to stop its own helpers; called once, possibly while a read runs on another thread. */
    default void close() {
    }
}
