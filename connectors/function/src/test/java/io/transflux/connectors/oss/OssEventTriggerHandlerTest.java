package io.transflux.connectors.oss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.transflux.connectors.MalformedEventException;
import io.transflux.connectors.batch.BatchTask;
import org.junit.jupiter.api.Test;

/**
 * The OSS trigger handler's start-up guard (a target the trigger could match is refused) and its reading of
 * ObjectCreated events in the documented shape.
 */
class OssEventTriggerHandlerTest {

    static Map<String, String> env(String triggerBucket, String triggerPrefix, String targetBucket, String targetPrefix) {
        Map<String, String> env = new HashMap<>();
        env.put("TRANSFLUX_PIPELINE", "decompress/auto");
        env.put("TRANSFLUX_TRIGGER_BUCKET", triggerBucket);
        env.put("TRANSFLUX_TRIGGER_PREFIX", triggerPrefix);
        env.put("TRANSFLUX_TARGET_BUCKET", targetBucket);
        env.put("TRANSFLUX_TARGET_PREFIX", targetPrefix);
        env.put("FC_REGION", "cn-hangzhou");
        return env;
    }

    @Test
    void refusesToStartWhenTheTargetIsInsideTheTriggersPrefix() {
        assertThatThrownBy(() -> new OssEventTriggerHandler(env("logs", "raw/", "logs", "raw/plain/")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("target oss://logs/raw/plain/ overlaps the trigger (bucket logs, prefix 'raw/')");
    }

    @Test
    void refusesToStartWhenTheTriggerWatchesTheWholeTargetBucket() {
        assertThatThrownBy(() -> new OssEventTriggerHandler(env("logs", "", "logs", "plain/")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("overlaps the trigger");
        assertThatThrownBy(() -> new OssEventTriggerHandler(env("logs", "raw/2026", "logs", "raw/")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("overlaps the trigger");
    }

    @Test
    void startsWhenTheTargetIsOutsideTheTrigger() {
        assertThatCode(() -> new OssEventTriggerHandler(env("logs", "raw/", "logs", "plain/"))).doesNotThrowAnyException();
        assertThatCode(() -> new OssEventTriggerHandler(env("logs", "", "logs-plain", ""))).doesNotThrowAnyException();
    }

    @Test
    void refusesToStartWithoutTheTriggerBucket() {
        Map<String, String> env = env("logs", "raw/", "other", "");
        env.remove("TRANSFLUX_TRIGGER_BUCKET");
        assertThatThrownBy(() -> new OssEventTriggerHandler(env)).isInstanceOf(IllegalStateException.class)
                .hasMessage("TRANSFLUX_TRIGGER_BUCKET: required, missing");
    }

    @Test
    void readsEachCreatedObjectOfTheEvent() {
        String event = "{\"events\":[{\"eventName\":\"ObjectCreated:PutObject\",\"eventSource\":\"acs:oss\","
                + "\"eventTime\":\"2026-12-03T06:45:43.000Z\",\"eventVersion\":\"1.0\",\"oss\":{\"bucket\":{"
                + "\"arn\":\"acs:oss:cn-hangzhou:123456789:logs\",\"name\":\"logs\",\"ownerIdentity\":\"1649\"},"
                + "\"object\":{\"deltaSize\":122,\"eTag\":\"688A7BF4F233DC9C88A80BF985AB7329\",\"key\":\"raw/a.gz\","
                + "\"size\":122},\"ossSchemaVersion\":\"1.0\",\"ruleId\":\"r\"},\"region\":\"cn-hangzhou\"},"
                + "{\"eventName\":\"ObjectCreated:CompleteMultipartUpload\",\"oss\":{\"bucket\":{\"name\":\"logs\"},"
                + "\"object\":{\"key\":\"raw/b.zst\"}}}]}";
        assertThat(OssEventTriggerHandler.tasks(event.getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new BatchTask("logs", "raw/a.gz", null), new BatchTask("logs", "raw/b.zst", null));
    }

    @Test
    void refusesAnEventThatIsNotObjectCreated() {
        String event = "{\"events\":[{\"eventName\":\"ObjectRemoved:DeleteObject\",\"oss\":{\"bucket\":{\"name\":\"l\"},"
                + "\"object\":{\"key\":\"k\"}}}]}";
        assertThatThrownBy(() -> OssEventTriggerHandler.tasks(event.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("expected ObjectCreated:*");
    }
}
