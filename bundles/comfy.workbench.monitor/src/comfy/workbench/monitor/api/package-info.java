/**
 * Following what ComfyUI servers execute, live.
 *
 * <h2>Concepts</h2>
 * <ul>
 * <li>The {@link comfy.workbench.monitor.api.ExecutionMonitor} keeps one WebSocket open to every configured server
 * (with a client id stable per server and installation), reconnecting with exponential backoff and jitter for as
 * long as the server is configured, and watching idle sockets, since the server sends no heartbeat.</li>
 * <li>Every message is decoded into an immutable {@link comfy.workbench.monitor.api.MonitorEvent}: one record per
 * message type of the protocol, binary previews and progress texts, the monitor's own
 * {@link comfy.workbench.monitor.api.ConnectionEvent}s, and an {@link comfy.workbench.monitor.api.UnknownEvent}
 * for anything newer, so that nothing is dropped silently.</li>
 * <li>Tracked prompts ({@link comfy.workbench.monitor.api.ExecutionMonitor#track}) have a
 * {@link comfy.workbench.monitor.api.PromptExecution} snapshot: state, cached and finished nodes, step and overall
 * progress, outputs, failure. Events are hints and the server's history is the truth: after every (re)connect the
 * monitor reconciles each unfinished prompt from the server, so every tracked prompt ends in exactly one
 * {@link comfy.workbench.monitor.api.PromptFinishedEvent}, even when its events were missed; a prompt the server
 * lost (a restart) ends as {@link comfy.workbench.monitor.api.PromptState#LOST}.</li>
 * <li>Events reach {@link comfy.workbench.monitor.api.ExecutionListener} whiteboard services (filtered by server,
 * prompt and type through service properties) and Event Admin topics ({@link comfy.workbench.monitor.api.MonitorTopics}).</li>
 * <li>{@link comfy.workbench.monitor.api.MonitorStatistics} reports per server: connection state and uptime,
 * reconnects, messages by type, bytes and rates, dispatch latency, dropped previews and bad frames.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Services are thread-safe. Listeners run on their own threads, never on the socket's.
 */
@org.osgi.annotation.versioning.Version("0.5.0")
package comfy.workbench.monitor.api;
