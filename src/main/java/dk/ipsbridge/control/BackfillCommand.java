package dk.ipsbridge.control;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar ips-bridge.jar backfill --source ID}: the adapter runs as always (its routes decide and deliver),
 * and this follows the {@link Backfill} of the source in the terminal, a progress bar with rate and time left, until
 * every patient found is settled; then it exits. Stopped (Ctrl-C, SIGTERM), it stops between pages and says how to go
 * on: the same command goes on where it stopped.
 */
@Component
@ConditionalOnProperty("ips.backfill.source")
class BackfillCommand implements ApplicationRunner, ExitCodeGenerator, ApplicationListener<ContextClosedEvent> {

    private static final Logger log = LoggerFactory.getLogger(BackfillCommand.class);

    /** Exit codes: every patient settled; stopped before the end; settled, but some wait for an operator. */
    static final int DONE = 0;
    static final int STOPPED = 130;
    static final int DONE_WITH_FAILURES = 3;

    private final Backfill backfill;
    private final String sourceId;
    private final PrintStream out = System.out;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean stopping;
    private volatile int exitCode = STOPPED;

    BackfillCommand(Backfill backfill, org.springframework.core.env.Environment environment) {
        this.backfill = backfill;
        this.sourceId = environment.getRequiredProperty("ips.backfill.source");
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        running = true;
        try {
            follow();
        } finally {
            finished.countDown();
        }
    }

    private void follow() throws InterruptedException {
        Backfill.Run run = backfill.start(sourceId, "cli:" + System.getProperty("user.name", "unknown"));
        out.println(run.resumed()
                ? "Going on with the backfill of source " + sourceId + " started at " + run.startedAt() + " by "
                        + run.startedBy() + (run.enumerated() ? "; every consent and referral has been read" : "")
                : "Backfill of source " + sourceId + " started: reading every IPS consent and referral.");
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread reader = null;
        if (!run.enumerated()) {
            reader = new Thread(() -> {
                try {
                    backfill.enumerate(sourceId, () -> stopping); // stopped between two pages, what was found is kept
                } catch (RuntimeException e) {
                    log.warn("backfill of source {}: reading the source failed", sourceId, e);
                    failure.set(e);
                }
            }, "backfill-reader");
            reader.start();
        }
        Backfill.Progress progress = backfill.progress(sourceId);
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Backfill " + sourceId)
                .setInitialMax(Math.max(progress.found(), 1)).setStyle(ProgressBarStyle.ASCII).showSpeed()
                .setUnit(" patients", 1).setConsumer(consumer()).setUpdateIntervalMillis(interval())
                .startsFrom(progress.settled() + progress.failed(), Duration.ZERO).build()) {
            while (!stopping && failure.get() == null && !progress.done()) {
                show(bar, progress);
                TimeUnit.MILLISECONDS.sleep(500);
                progress = backfill.progress(sourceId);
            }
            show(bar, progress);
        }
        if (reader != null) {
            reader.join();
        }
        if (failure.get() != null) {
            out.println("The backfill stopped: reading the source failed (" + failure.get().getClass().getSimpleName()
                    + "; see the failed records and the log). Run the same command again to go on.");
            exitCode = 1;
        } else if (progress.done()) {
            backfill.finish(sourceId);
            out.printf("Backfill of source %s done: %d patients, %d decided and delivered, %d waiting for an "
                    + "operator in the failed records.%n", sourceId, progress.found(), progress.settled(),
                    progress.failed());
            exitCode = progress.failed() == 0 ? DONE : DONE_WITH_FAILURES;
        } else {
            out.printf("Backfill of source %s stopped at %d of %d patients found so far. Run the same command again "
                    + "to go on where it stopped; nothing is sent twice.%n", sourceId,
                    progress.settled() + progress.failed(), progress.found());
        }
    }

    private static void show(ProgressBar bar, Backfill.Progress progress) {
        bar.maxHint(Math.max(progress.found(), 1));
        bar.stepTo(progress.settled() + progress.failed());
        bar.setExtraMessage(" · " + (progress.enumerated() ? "all found" : "finding more") + ", " + progress.failed()
                + " failed");
    }

    /** A terminal gets one line redrawn; a log or a pipe gets a line at a time. */
    private ProgressBarConsumer consumer() {
        return System.console() != null ? new ConsoleProgressBarConsumer(out)
                : new DelegatingProgressBarConsumer(out::println, 120);
    }

    private static int interval() {
        return System.console() != null ? 500 : 2_000;
    }

    /** Stopped from outside: the loop ends, and the store stays open until it has (the routes drain meanwhile). */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        stopping = true;
        if (!running) {
            return;
        }
        try {
            finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
