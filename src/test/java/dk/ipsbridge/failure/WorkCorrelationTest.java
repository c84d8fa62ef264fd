package dk.ipsbridge.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dk.ipsbridge.failure.FailedRecords.FailedRecord;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * The correlation id is on every log line of one unit of work, the error policy's included, differs between units,
 * and is gone from the thread once the work is done: routes shaped like ours (a timer round that splits into a
 * {@code direct:} route, which sets the unit of work and fails for one item).
 */
class WorkCorrelationTest {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(WorkCorrelationTest.class);

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private DefaultCamelContext camel;

    @BeforeEach
    @SuppressWarnings({"unchecked", "rawtypes"})
    void start() throws Exception {
        lines.start();
        ((Logger) LoggerFactory.getLogger(WorkCorrelationTest.class)).addAppender(lines);
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("recovery", new ItemRecovery());
        ObjectProvider<Recovery<?>> recoveries = (ObjectProvider) beans.getBeanProvider(Recovery.class);

        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().addInterceptStrategy(new WorkCorrelation(recoveries));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(IllegalStateException.class).handled(true)
                        .process(e -> log.info("failed {}", e.getIn().getBody()));
                from("direct:round").routeId("round")
                        .process(e -> log.info("round starts"))
                        .split(body())
                            .to("direct:item")
                        .end()
                        .process(e -> log.info("round ends"));
                from("direct:item").routeId("item")
                        .setProperty(ErrorPolicy.WORK, body())
                        .process(e -> log.info("item {} read", e.getIn().getBody()))
                        .process(e -> {
                            log.info("item {} decided", e.getIn().getBody());
                            if ("bad".equals(e.getIn().getBody())) {
                                throw new IllegalStateException("bad item");
                            }
                        });
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        ((Logger) LoggerFactory.getLogger(WorkCorrelationTest.class)).detachAppender(lines);
    }

    @Test
    void shouldPutOneIdOnEveryLineOfAUnitOfWorkAndNoneOutside() {
        camel.createProducerTemplate().sendBody("direct:round", List.of("one", "bad"));
        log.info("after the round");

        Map<String, String> idByLine = lines.list.stream().collect(Collectors.toMap(ILoggingEvent::getFormattedMessage,
                line -> line.getMDCPropertyMap().getOrDefault(WorkCorrelation.MDC_KEY, "")));
        assertThat(idByLine).containsOnlyKeys("round starts", "item one read", "item one decided", "item bad read",
                "item bad decided", "failed bad", "round ends", "after the round");
        assertThat(idByLine.get("item one read")).matches("item-[0-9a-f]{12}")
                .isEqualTo(idByLine.get("item one decided"));
        assertThat(idByLine.get("item bad read")).matches("item-[0-9a-f]{12}")
                .isEqualTo(idByLine.get("item bad decided")).isEqualTo(idByLine.get("failed bad"))
                .isNotEqualTo(idByLine.get("item one read"));
        assertThat(idByLine.get("round starts")).isEmpty();
        assertThat(idByLine.get("round ends")).isEmpty();
        assertThat(idByLine.get("after the round")).isEmpty();
        assertThat(MDC.get(WorkCorrelation.MDC_KEY)).isNull();
        assertThat(WorkCorrelation.current()).isNull();
    }

    @Test
    void shouldGiveEveryRoundItsOwnIds() {
        camel.createProducerTemplate().sendBody("direct:round", List.of("one"));
        camel.createProducerTemplate().sendBody("direct:round", List.of("one"));

        assertThat(lines.list).filteredOn(line -> line.getFormattedMessage().equals("item one read"))
                .extracting(line -> line.getMDCPropertyMap().get(WorkCorrelation.MDC_KEY)).hasSize(2)
                .doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).startsWith("item-"));
    }

    /** A kind of work whose stage names it in the id. */
    private static final class ItemRecovery implements Recovery<String> {
        @Override
        public Class<String> work() {
            return String.class;
        }

        @Override
        public String stage() {
            return "item";
        }

        @Override
        public void retryLater(String work, Exception cause) {
        }

        @Override
        public void deadLetter(String work, Failure failure) {
        }

        @Override
        public void replay(FailedRecord record) {
        }
    }
}
