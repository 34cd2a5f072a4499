package comfy.workbench.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * What the Jetty WebSocket client needs inside OSGi: the bundles the monitor wires to (which the core feature must
 * list) and the OSGi ServiceLoader Mediator, without which {@code org.eclipse.jetty.websocket.common} does not resolve.
 */
class JettyInOsgiTest {

    /** The Jetty bundles of {@code features/comfy.workbench.core.feature/feature.xml}; keep both lists equal. */
    private static final Set<String> FEATURE_JETTY_BUNDLES = Set.of("org.eclipse.jetty.util", "org.eclipse.jetty.io",
            "org.eclipse.jetty.http", "org.eclipse.jetty.client", "org.eclipse.jetty.alpn.client",
            "org.eclipse.jetty.compression.common", "org.eclipse.jetty.compression.gzip",
            "org.eclipse.jetty.websocket.core.common", "org.eclipse.jetty.websocket.core.client",
            "org.eclipse.jetty.websocket.api", "org.eclipse.jetty.websocket.common", "org.eclipse.jetty.websocket.client");

    @Test
    void theWebSocketCommonBundleIsWiredToSpiFlyAsItsServiceLoaderRegistrar() {
        Bundle common = bundle("org.eclipse.jetty.websocket.common");
        BundleWiring wiring = common.adapt(BundleWiring.class);
        assertNotNull(wiring, "org.eclipse.jetty.websocket.common is not resolved");
        List<BundleWire> extenders = wiring.getRequiredWires("osgi.extender");
        assertEquals(1, extenders.size(), extenders.toString());
        assertEquals("osgi.serviceloader.registrar", extenders.get(0).getCapability().getAttributes().get("osgi.extender"));
        assertEquals("org.apache.aries.spifly.dynamic.bundle", extenders.get(0).getProvider().getSymbolicName());
    }

    @Test
    void everyJettyBundleTheMonitorNeedsIsInTheCoreFeature() {
        Set<String> needed = new TreeSet<>();
        Deque<Bundle> todo = new ArrayDeque<>(List.of(FrameworkUtil.getBundle(JettyWebSocketTransport.class)));
        Set<Long> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            Bundle b = todo.pop();
            if (!seen.add(b.getBundleId())) {
                continue;
            }
            BundleWiring w = b.adapt(BundleWiring.class);
            for (BundleWire wire : w.getRequiredWires(null)) {
                Bundle provider = wire.getProvider().getBundle();
                if (provider.getSymbolicName().startsWith("org.eclipse.jetty.")) {
                    needed.add(provider.getSymbolicName());
                    todo.push(provider);
                }
            }
        }
        // jetty-client's optional requirement on a Compression provider is satisfied by gzip through SPI Fly
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(FEATURE_JETTY_BUNDLES);
        assertTrue(missing.isEmpty(), "Jetty bundles wired from the monitor but not in the feature: " + missing + " (wired: " + needed + ")");
        assertTrue(needed.contains("org.eclipse.jetty.websocket.common"), needed.toString());
    }

    private static Bundle bundle(String symbolicName) {
        BundleContext context = FrameworkUtil.getBundle(JettyWebSocketTransport.class).getBundleContext();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().equals(symbolicName)) {
                return b;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }
}
