package dk.ipsbridge.failure;

import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Puts the correlation id of the unit of work (the exchange property {@value ErrorPolicy#WORK}) in the MDC under
 * {@value #MDC_KEY}, around every step of every route, the error policy's included, and takes it out again after the
 * step, so that no pooled thread carries it into other work. The id is the work's kind (its {@link Recovery#stage()})
 * and a random part, e.g. {@code review-3f9c01a2b7de}: it names no person. It is made the first time a step sees the
 * work and kept on the exchange; another unit of work (a split's next item) gets another id.
 *
 * <p>Camel applies every {@link InterceptStrategy} bean to every processor of every route, which is why this is the
 * only place the key is set: beans only read it ({@link #current()}).
 */
@Component
public class WorkCorrelation implements InterceptStrategy {

    /** The MDC key; the log pattern ({@code logging.pattern.correlation}) prints it. */
    public static final String MDC_KEY = "work";
    static final String PROPERTY = "ipsWorkId";

    // looked up when first needed: Camel asks for this bean while its context is being made, before the recoveries
    // (which use beans that need that context) can be
    private final ObjectProvider<Recovery<?>> recoveries;

    WorkCorrelation(ObjectProvider<Recovery<?>> recoveries) {
        this.recoveries = recoveries;
    }

    /** The correlation id of the unit of work this thread is running a step of, or null outside any. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
            Processor nextTarget) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                String id = idOf(exchange);
                if (id == null) {
                    return super.process(exchange, callback);
                }
                String outer = MDC.get(MDC_KEY);
                MDC.put(MDC_KEY, id);
                try {
                    return super.process(exchange, callback);
                } finally {
                    if (outer == null) {
                        MDC.remove(MDC_KEY);
                    } else {
                        MDC.put(MDC_KEY, outer);
                    }
                }
            }
        };
    }

    /** The id of the exchange's unit of work, made when the work is first seen; null when it has none yet. */
    String idOf(Exchange exchange) {
        Object work = exchange.getProperty(ErrorPolicy.WORK);
        if (work == null) {
            return null;
        }
        // a split's items start as copies of their parent's properties: the id belongs to one work object only
        WorkId known = exchange.getProperty(PROPERTY, WorkId.class);
        if (known != null && known.work() == work) {
            return known.id();
        }
        WorkId made = new WorkId(work, kindOf(work) + "-" + randomPart());
        exchange.setProperty(PROPERTY, made);
        return made.id();
    }

    private String kindOf(Object work) {
        return recoveries.orderedStream().filter(recovery -> recovery.work().isInstance(work)).map(Recovery::stage)
                .findFirst().orElse("work");
    }

    private static String randomPart() {
        return String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL);
    }

    /** The id, tied to the work object it was made for; its toString names no person. */
    record WorkId(Object work, String id) {
        @Override
        public String toString() {
            return id;
        }
    }
}
