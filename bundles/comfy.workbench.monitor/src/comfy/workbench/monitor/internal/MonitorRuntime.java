package comfy.workbench.monitor.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import comfy.workbench.connection.api.ComfyClients;
import comfy.workbench.connection.api.ServerCredentials;

/**
 * What every {@link ServerSession} shares.
 *
 * @param transport  opens the sockets
 * @param scheduler  reconnect timers and the watchdog (never blocks)
 * @param blocking   HTTP calls: reconciliation and idle checks
 * @param dispatcher the listeners
 * @param clients    the HTTP clients
 * @param credentials the headers of the socket's upgrade request
 * @param settings   the current configuration
 * @param nanoClock  {@link System#nanoTime()}, or a test's clock
 * @param random     jitter source
 */
record MonitorRuntime(WebSocketTransport transport, ScheduledExecutorService scheduler, Executor blocking,
        ListenerDispatcher dispatcher, ComfyClients clients, ServerCredentials credentials, Supplier<MonitorSettings> settings,
        LongSupplier nanoClock, DoubleSupplier random) {
}
