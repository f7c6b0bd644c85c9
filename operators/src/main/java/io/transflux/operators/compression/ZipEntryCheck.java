package io.transflux.operators.compression;

import io.transflux.pipeline.DecompressionException;

/** The end-of-entry checks of a ZIP entry read by range: the central directory's size and CRC-32 are the truth. */
final class ZipEntryCheck {

    private ZipEntryCheck() {
    }

    /** Fails as soon as an entry produced more than its central directory size. */
    static void size(ZipCentralDirectory.Entry e, long produced) {
        if (produced > e.size()) {
            throw new DecompressionException("zip: entry '" + e.name() + "': more than the " + e.size()
                    + " bytes the central directory declares (" + produced + " so far)");
        }
    }

    static void end(ZipCentralDirectory.Entry e, long produced, long crc) {
        if (produced != e.size()) {
            throw new DecompressionException("zip: entry '" + e.name() + "': size actual " + produced + " != expected "
                    + e.size() + " from the central directory");
        }
        if (crc != e.crc()) {
            throw new DecompressionException(String.format("zip: entry '%s': CRC-32 actual 0x%08x != expected 0x%08x",
                    e.name(), crc, e.crc()));
        }
    }
}
