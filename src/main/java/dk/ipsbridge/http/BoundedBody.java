package dk.ipsbridge.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import java.net.http.HttpResponse.BodySubscriber;

/**
 * A response body read into memory up to a limit: one byte more cancels the read (the connection is dropped) and
 * fails with {@link TooLarge}. A body that is refused unread fails at once with the given exception.
 */
final class BoundedBody implements BodySubscriber<byte[]> {

    /** The body is larger than the limit; it was not read beyond it. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("response body over the limit");
        }
    }

    /** The body is not read, by design (a status that means retry later, a compressed answer). */
    static final class Unread extends IOException {
        final boolean compressed;

        Unread(boolean compressed) {
            super(compressed ? "compressed response body" : "response body not read");
            this.compressed = compressed;
        }
    }

    private final long limit;
    private final Unread unread;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    private BoundedBody(long limit, Unread unread) {
        this.limit = limit;
        this.unread = unread;
    }

    static BoundedBody upTo(long limit) {
        return new BoundedBody(limit, null);
    }

    /** No body is read: an empty one for a status whose body nobody reads, or a failure for a compressed one. */
    static BoundedBody skipped(boolean compressed) {
        return new BoundedBody(0, new Unread(compressed));
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (unread != null) {
            // the outcome first, then the cancel: a cancelled exchange must not fail the response with its own error
            if (unread.compressed) {
                body.completeExceptionally(unread);
            } else {
                body.complete(new byte[0]);
            }
            s.cancel();
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            if (bytes.size() + (long) item.remaining() > limit) {
                body.completeExceptionally(new TooLarge());
                subscription.cancel();
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }
}
