package comfy.workbench.connection.internal;

import java.time.Duration;

/**
 * Timeouts of the HTTP clients, validated from {@link ComfyClientsComponent.Config}.
 *
 * @param connectTimeout     to establish a connection
 * @param requestTimeout     from sending a request until the answer's headers, for ordinary routes
 * @param slowRequestTimeout the same for routes that are slow by nature ({@code object_info}, uploads, downloads)
 */
record ClientSettings(Duration connectTimeout, Duration requestTimeout, Duration slowRequestTimeout) {

    ClientSettings {
        for (Duration d : new Duration[] { connectTimeout, requestTimeout, slowRequestTimeout }) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + d);
            }
        }
    }
}
