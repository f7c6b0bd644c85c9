package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FileStoreDateTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.transflux.connectors.http.CalendarDays#oneAndTwoDigitDays")
    void serveWritesLastModifiedAsImfFixdate(String label, Clock clock, String imfFixdate) {
        assertThat(FileStore.lastModified(clock.instant())).isEqualTo(imfFixdate);
    }
}
