package io.transflux.pipeline;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * Two tiny stages for testing the registry and grammar: {@code test/upper} upper-cases ASCII and
 * {@code test/repeat,n_<1..8>} emits every chunk n times.
 */
public final class TestStages implements StageProvider {

    public TestStages() {
    }


    @Override
    public String category() {
        return "test";
    }

    @Override
    public Set<String> actions() {
        return Set.of("upper", "repeat");
    }

    @Override
    public Operator create(StageSpec spec) {
        ActionSpec a = spec.action();
        if (spec.actions().size() != 1) {
            throw new PipelineSpecException("stage " + spec.name() + ": expected one action");
        }
        if (a.name().equals("upper")) {
            a.requireOnly(Set.of());
            return Operator.of(spec, (in, limits) -> in.mapContent(c -> c.map(TestStages::upper))
                    .mapMetadata(m -> m.unknownContentLength()));
        }
        a.requireOnly(Set.of("n"));
        int n = a.intValue("n", 1, 8, 2);
        StageSpec canonical = n == 2 ? StageSpec.of("test", "repeat")
                : StageSpec.of("test", "repeat", new ActionSpec.Param("n", Integer.toString(n)));
        return Operator.of(canonical, (in, limits) -> in.mapContent(c -> c.concatMapIterable(
                b -> java.util.Collections.nCopies(n, b).stream().map(ByteBuffer::duplicate).toList(), 1)));
    }

    static StageRegistry registry() {
        return StageRegistry.of(List.of(new TestStages()));
    }

    private static ByteBuffer upper(ByteBuffer in) {
        ByteBuffer out = ByteBuffer.allocate(in.remaining());
        for (int i = in.position(); i < in.limit(); i++) {
            byte b = in.get(i);
            out.put(b >= 'a' && b <= 'z' ? (byte) (b - 32) : b);
        }
        return out.flip();
    }
}
