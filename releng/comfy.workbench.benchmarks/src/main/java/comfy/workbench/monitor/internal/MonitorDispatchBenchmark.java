package comfy.workbench.monitor.internal;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import comfy.workbench.monitor.api.MonitorEvent;
import comfy.workbench.monitor.api.PromptFinishedEvent;

/**
 * Decode and dispatch without a socket: the recorded mix (60 % progress, 30 % progress_state, 10 % executing, the
 * messages the fake server's flood sends) through the decoder, a prompt tracker following the prompt, and two
 * listeners on their own threads. One invocation is a batch of {@value #BATCH} messages and ends when both
 * listeners have received all of them, so the figure is events decoded <em>and delivered</em> per second.
 * Goal: at least 1,000,000 events/s on one core — run it under {@code taskset -c 0} to hold the whole JVM
 * (producer and listener threads) to one core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MonitorDispatchBenchmark {

    static final int BATCH = 10_000;
    private static final String PROMPT = "00000000-0000-4000-8000-000000000000";
    static final String PROGRESS = "{\"type\": \"progress\", \"data\": {\"value\": 7, \"max\": 20, \"prompt_id\": \"" + PROMPT
            + "\", \"node\": \"3\"}}";
    static final String PROGRESS_STATE = "{\"type\": \"progress_state\", \"data\": {\"prompt_id\": \"" + PROMPT
            + "\", \"nodes\": {\"3\": {\"value\": 7, \"max\": 20, \"state\": \"running\", \"node_id\": \"3\", \"prompt_id\": \""
            + PROMPT + "\", \"display_node_id\": \"3\", \"parent_node_id\": null, \"real_node_id\": \"3\"}}}}";
    static final String EXECUTING = "{\"type\": \"executing\", \"data\": {\"node\": \"3\", \"display_node\": \"3\", \"prompt_id\": \""
            + PROMPT + "\"}}";
    /** One period of the mix: 6 progress, 3 progress_state, 1 executing. */
    static final String[] MIX = { PROGRESS, PROGRESS_STATE, PROGRESS, PROGRESS, PROGRESS_STATE, PROGRESS, EXECUTING,
            PROGRESS, PROGRESS_STATE, PROGRESS };

    private FrameDecoder decoder;
    private PromptTracker tracker;
    private ServerStatistics statistics;
    private ListenerDispatcher dispatcher;
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong second = new AtomicLong();
    private long sent;

    @Setup(Level.Trial)
    public void setUp() {
        decoder = new FrameDecoder("bench");
        tracker = new PromptTracker("bench", Runnable::run, 1000);
        statistics = new ServerStatistics("bench", System::nanoTime);
        dispatcher = new ListenerDispatcher(10 * BATCH, 32);
        dispatcher.add(event -> first.incrementAndGet(), Map.of());
        dispatcher.add(event -> second.incrementAndGet(), Map.of());
        // the prompt is followed, as a tracked prompt of the queue would be
        tracker.track(PROMPT, java.util.List.of("1", "2", "3"), Instant.now());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dispatcher.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long decodeTrackAndDispatch() throws BadFrameException {
        for (int i = 0; i < BATCH; i++) {
            long now = System.nanoTime();
            String text = MIX[i % MIX.length];
            statistics.frame(false, text.length(), now);
            MonitorEvent event = decoder.decodeText(text, Instant.now());
            statistics.decoded(event.type());
            PromptFinishedEvent end = tracker.apply(event);
            dispatcher.dispatch(new Delivery(event, statistics, now));
            if (end != null) {
                throw new IllegalStateException("the mix has no end of prompt");
            }
        }
        sent += BATCH;
        while (first.get() < sent || second.get() < sent) {
            // waiting for the listeners is part of the measured work: a batch counts once delivered
            LockSupport.parkNanos(10_000);
        }
        return sent;
    }
}
