package comfy.workbench.queue.tests;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.ServiceRegistration;

import comfy.workbench.connection.api.ServerDescriptor;
import comfy.workbench.connection.api.ServerRegistry;
import comfy.workbench.model.api.PromptGraph;
import comfy.workbench.queue.api.Job;
import comfy.workbench.queue.api.JobEvent;
import comfy.workbench.queue.api.JobListener;
import comfy.workbench.queue.api.JobQueue;
import comfy.workbench.queue.api.JobRequest;
import comfy.workbench.testing.fake.FakeComfyServer;
import comfy.workbench.testing.fake.TestPrompts;
import comfy.workbench.testing.osgi.Osgi;
import comfy.workbench.testing.osgi.TestPlatform;

/** The queue and its services configured under a private data folder, with fake servers registered. */
final class QueueFixture implements AutoCloseable {

    static final String QUEUE = "comfy.workbench.queue.internal.QueueComponent";

    final Path data;
    final List<FakeComfyServer> fakes = new CopyOnWriteArrayList<>();
    final List<String> serverIds = new CopyOnWriteArrayList<>();
    final List<JobEvent> events = new CopyOnWriteArrayList<>();
    private ServiceRegistration<JobListener> listener;
    private final Map<String, Object> queueConfig;

    private QueueFixture(Path data, Map<String, Object> queueConfig) {
        this.data = data;
        this.queueConfig = queueConfig;
    }

    static QueueFixture start(Path data, Map<String, Object> queueConfig, FakeComfyServer.Builder... servers)
            throws Exception {
        QueueFixture f = new QueueFixture(data, queueConfig);
        TestPlatform.configure(data);
        f.configureQueue();
        ServerRegistry registry = Osgi.service(ServerRegistry.class);
        registry.remove(ServerDescriptor.DEFAULT_ID);
        for (FakeComfyServer.Builder b : servers) {
            f.addServer(b.start());
        }
        f.listener = Osgi.context().registerService(JobListener.class, f.events::add, null);
        return f;
    }

    void configureQueue() throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of("perServerLimit", 2, "tickMillis", 50L,
                "reconcileRetryMillis", 200L, "lostServerGraceMillis", 1_000L));
        config.putAll(queueConfig);
        // a value no earlier test used: the configure call then waits for the instance activated with it, not for one
        // that a change of its dependencies is about to replace
        config.put("fixture", UUID.randomUUID().toString());
        Osgi.configure("comfy.workbench.queue", QUEUE, config);
    }

    String addServer(FakeComfyServer fake) {
        String id = "fake-" + UUID.randomUUID().toString().substring(0, 8);
        Osgi.service(ServerRegistry.class).add(new ServerDescriptor(id, "Fake " + fake.port(), fake.baseUri(), null));
        fakes.add(fake);
        serverIds.add(id);
        return id;
    }

    JobQueue queue() {
        return Osgi.service(JobQueue.class);
    }

    static JobRequest quick(int color) {
        return JobRequest.of(PromptGraph.parse(TestPrompts.quick(color, "q" + color), "quick " + color));
    }

    static JobRequest slow(int color) {
        return JobRequest.of(PromptGraph.parse(TestPrompts.slow(color), "slow " + color));
    }

    /** Waits until the job is in {@code state}; a timeout names the state it is in and the states it went through. */
    void awaitState(Job job, comfy.workbench.queue.api.JobState state) {
        try {
            Osgi.await(job.id() + " " + state, () -> queue().job(job.id()).orElseThrow().state() == state);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it is " + queue().job(job.id()).map(Job::state).orElse(null)
                    + " after " + events.stream().filter(ev -> ev.job().id().equals(job.id()))
                            .map(ev -> ev.job().state() + (ev.job().error() == null ? "" : "(" + ev.job().error().message() + ")"))
                            .toList() + diagnosis(job), e);
        }
    }

    private String diagnosis(Job job) {
        comfy.workbench.monitor.api.ExecutionMonitor monitor = Osgi.service(comfy.workbench.monitor.api.ExecutionMonitor.class);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < serverIds.size(); i++) {
            String id = serverIds.get(i);
            b.append("; server ").append(id).append(" socket ").append(monitor.connectionState(id))
                    .append(", monitor sees ").append(monitor.execution(id, job.id()).map(x -> x.state().name()).orElse("nothing"))
                    .append(", fake executions ").append(fakes.get(i).executions(job.id()))
                    .append(", fake waiting at 2: ").append(fakes.get(i).waitingAt("2"))
                    .append(", POST /prompt ").append(fakes.get(i).requests("POST /prompt"));
        }
        return b.toString();
    }

    Job await(Job job) throws Exception {
        return queue().completion(job.id()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    /**
     * Ends what the test left unfinished (cancelled, while its servers still answer), then stops the servers: the queue
     * stays on the test's data folder until the next test configures another, and a job still going would write into
     * the folder while JUnit deletes it.
     */
    public void close() {
        try {
            JobQueue queue = Osgi.service(JobQueue.class);
            queue.jobs(List.of()).stream().filter(j -> !j.state().terminal()).forEach(j -> queue.cancel(j.id()));
            Osgi.await("the test's jobs ended", () -> queue.jobs(List.of()).stream().allMatch(j -> j.state().terminal()));
        } finally {
            if (listener != null) {
                listener.unregister();
            }
            fakes.forEach(FakeComfyServer::close);
        }
    }
}
