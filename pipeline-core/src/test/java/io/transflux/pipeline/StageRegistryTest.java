package io.transflux.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageRegistryTest {

    @Test
    void findsProvidersThroughServiceLoader(@TempDir Path dir) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(StageProvider.class.getName()), TestStages.class.getName() + "\n");

        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            StageRegistry registry = StageRegistry.load(loader);

            assertThat(registry.stageNames()).containsExactly("test/repeat", "test/upper");
            assertThat(Pipeline.parse("test/upper", registry).toString()).isEqualTo("test/upper");
        }
    }

    @Test
    void pipelineCoreRegistersNoStagesOfItsOwn() {
        assertThat(StageRegistry.load(getClass().getClassLoader()).stageNames()).isEmpty();
    }
}
