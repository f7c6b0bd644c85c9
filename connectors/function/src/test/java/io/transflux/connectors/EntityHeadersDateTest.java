package io.transflux.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import io.transflux.pipeline.ObjectMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EntityHeadersDateTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.transflux.connectors.http.CalendarDays#oneAndTwoDigitDays")
    void lastModifiedIsForwardedAsImfFixdate(String label, Clock clock, String imfFixdate) {
        ObjectMetadata m = ObjectMetadata.builder().lastModified(clock.instant()).build();

        assertThat(EntityHeaders.describe(m, true)).containsEntry("Last-Modified", imfFixdate);
    }
}
