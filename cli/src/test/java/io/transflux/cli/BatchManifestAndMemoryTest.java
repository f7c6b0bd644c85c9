package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.transflux.connectors.batch.BatchReport;
import io.transflux.connectors.batch.BatchTask;
import io.transflux.connectors.batch.ManifestLine;
import io.transflux.connectors.upload.MultipartSpec;
import org.junit.jupiter.api.Test;

/** Manifest lines as Batch Operations writes them, the report's CSV quoting, and the memory cap on concurrency. */
class BatchManifestAndMemoryTest {

    @Test
    void decodesUrlEncodedKeysAndKeepsTheVersion() {
        ManifestLine l = ManifestLine.parse("logs,2026%2F12%2Fa+b%C3%BC%2Bc.gz,3HL4kqtJlcpXroDTDmJ");
        assertThat(l.task()).isEqualTo(new BatchTask("logs", "2026/12/a bü+c.gz", "3HL4kqtJlcpXroDTDmJ"));
        assertThat(l.encodedKey()).isEqualTo("2026%2F12%2Fa+b%C3%BC%2Bc.gz");
    }

    @Test
    void namesWhatIsWrongWithABadLine() {
        assertThat(ManifestLine.parse("logs").problem()).isEqualTo("expected bucket,key[,versionId], got 1 fields");
        assertThat(ManifestLine.parse("logs,a,b,c").problem()).isEqualTo("expected bucket,key[,versionId], got 4 fields");
        assertThat(ManifestLine.parse(",key").problem()).isEqualTo("empty bucket");
        assertThat(ManifestLine.parse("logs,bad%G1").problem()).isEqualTo("the key is not URL-encoded (a bad % escape)");
        assertThat(ManifestLine.parse("logs,a%00b").problem()).isEqualTo("the key holds a NUL character");
        assertThat(ManifestLine.parse("logs,a,\r").task()).isEqualTo(new BatchTask("logs", "a", null));
    }

    @Test
    void quotesReportFieldsThatNeedIt() {
        assertThat(BatchReport.csv("plain")).isEqualTo("plain");
        assertThat(BatchReport.csv("a, \"b\"")).isEqualTo("\"a, \"\"b\"\"\"");
    }

    @Test
    void concurrencyIsHeldToTheMemoryBudgetWhateverIsAskedFor() {
        BatchCommand c = new BatchCommand();
        c.concurrency = 1000;
        c.memory = 256L * 1024 * 1024;
        MultipartSpec parts = MultipartSpec.builder().partSize(8 * 1024 * 1024).build();
        int running = c.effectiveConcurrency(parts);
        assertThat(running).isEqualTo(14);
        assertThat(running * (2L * parts.partSize() + BatchCommand.TASK_OVERHEAD_BYTES)).isLessThanOrEqualTo(c.memory);
        c.concurrency = 4;
        assertThat(c.effectiveConcurrency(parts)).isEqualTo(4);
        c.concurrency = 64;
        c.memory = 1;
        assertThat(c.effectiveConcurrency(parts)).isEqualTo(1);
    }
}
