package io.transflux.pipeline;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;

/**
 * An object in flight: its content as a {@code Flux<ByteBuffer>} and its {@link ObjectMetadata}.
 * Immutable; the {@code with...} methods return new instances.
 *
 * <h2>Buffer ownership</h2>
 * <ol>
 *   <li><b>{@code onNext} hands ownership over.</b> After emitting a buffer the producer never touches
 *       its position, limit or contents again and keeps no reference to it. The subscriber may read,
 *       slice or keep it.</li>
 *   <li><b>Observers do not consume.</b> Checksums, counters and sniffers read with absolute gets or on
 *       a {@link ByteBuffer#duplicate()}, leaving position and limit as they were.</li>
 *   <li><b>No pooled memory.</b> Elements are plain heap or direct {@code ByteBuffer}s that need no
 *       release. Netty {@code ByteBuf}s are converted once at the connector edge and never appear here.</li>
 *   <li><b>Bounded chunks.</b> Producers emit at most {@link Limits#maxChunkBytes()} (64 KiB by default)
 *       remaining bytes per buffer; empty buffers are allowed but pointless.</li>
 * </ol>
 *
 * <h2>Subscription</h2>
 * Content from a network or file source is usually single-use: subscribe to it once. Cancelling the
 * subscription releases what the source holds (connections, file handles, native contexts).
 *
 * <h2>Range reader</h2>
 * A source that can read byte ranges of the same object version (a file, an HTTP object with a strong
 * ETag and a known length) attaches a {@link RangeReader}; a stage that wants random access (ZIP's central
 * directory) may use it instead of the content, and should then cancel or never subscribe to the content.
 * The reader describes the <em>content as the source delivered it</em>, so {@link #withContent} and
 * {@link #mapContent} drop it (the new content's offsets would not match), while {@link #withMetadata} and
 * {@link #mapMetadata} keep it. Its buffers follow the ownership rules above.
 */
public final class ObjectStream {

    private final Flux<ByteBuffer> content;
    private final ObjectMetadata metadata;
    private final @Nullable RangeReader rangeReader;

    private ObjectStream(Flux<ByteBuffer> content, ObjectMetadata metadata, @Nullable RangeReader rangeReader) {
        this.content = Objects.requireNonNull(content, "content");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.rangeReader = rangeReader;
    }

    private ObjectStream(Flux<ByteBuffer> content, ObjectMetadata metadata) {
        this(content, metadata, null);
    }

    public static ObjectStream of(Flux<ByteBuffer> content, ObjectMetadata metadata) {
        return new ObjectStream(content, metadata);
    }

    public static ObjectStream of(Flux<ByteBuffer> content) {
        return new ObjectStream(content, ObjectMetadata.empty());
    }

    /** The bytes. See the class Javadoc for the ownership rules. */
    public Flux<ByteBuffer> content() {
        return content;
    }

    public ObjectMetadata metadata() {
        return metadata;
    }

    /**
     * Random access to the same bytes as {@link #content()}, when the source offers it; empty after any
     * change of content. See "Range reader" in the class Javadoc.
     */
    public Optional<RangeReader> rangeReader() {
        return Optional.ofNullable(rangeReader);
    }

    /** This stream with {@code reader} attached; the reader must read the same bytes as the content. */
    public ObjectStream withRangeReader(RangeReader reader) {
        return new ObjectStream(content, metadata, Objects.requireNonNull(reader, "reader"));
    }

    /** New content, same metadata; drops the {@linkplain #rangeReader() range reader}. */
    public ObjectStream withContent(Flux<ByteBuffer> newContent) {
        return new ObjectStream(newContent, metadata);
    }

    /** Same content and range reader, new metadata. */
    public ObjectStream withMetadata(ObjectMetadata newMetadata) {
        return new ObjectStream(content, newMetadata, rangeReader);
    }

    /** Applies {@code f} to the content, keeping the metadata; drops the {@linkplain #rangeReader() range reader}. */
    public ObjectStream mapContent(Function<? super Flux<ByteBuffer>, ? extends Flux<ByteBuffer>> f) {
        return new ObjectStream(f.apply(content), metadata);
    }

    /** Applies {@code f} to a builder seeded with the current metadata; keeps content and range reader. */
    public ObjectStream mapMetadata(UnaryOperator<ObjectMetadata.Builder> f) {
        return new ObjectStream(content, f.apply(metadata.toBuilder()).build(), rangeReader);
    }

    @Override
    public String toString() {
        return "ObjectStream{" + metadata + '}';
    }
}
